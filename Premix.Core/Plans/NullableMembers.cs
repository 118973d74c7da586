using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;

namespace Premix.Plans;

/// <summary>
/// Reads of <see cref="Nullable{T}.HasValue"/> and <see cref="Nullable{T}.Value"/> in the plans' expression trees, for a
/// <c>T?</c> known only at run time.
/// </summary>
/// <remarks>
/// <c>Expression.Property(value, "HasValue")</c> finds the property by name, which the trim analyzer cannot follow. Trimming
/// keeps members on a generic type's definition, so the <c>DynamicDependency</c> on <c>Nullable&lt;T&gt;</c> keeps both
/// properties for every <c>T?</c>: the lookup cannot miss.
/// </remarks>
internal static class NullableMembers
{
    /// <summary><c>value.HasValue</c>, <paramref name="value"/> being of a <c>T?</c> type.</summary>
    [DynamicDependency(nameof(Nullable<int>.HasValue), typeof(Nullable<>))]
    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode", Justification = "Nullable<T>.HasValue is kept by the DynamicDependency above.")]
    public static MemberExpression HasValue(Expression value) => Expression.Property(value, nameof(Nullable<int>.HasValue));

    /// <summary><c>value.Value</c>, <paramref name="value"/> being of a <c>T?</c> type.</summary>
    [DynamicDependency(nameof(Nullable<int>.Value), typeof(Nullable<>))]
    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode", Justification = "Nullable<T>.Value is kept by the DynamicDependency above.")]
    public static MemberExpression Value(Expression value) => Expression.Property(value, nameof(Nullable<int>.Value));
}
