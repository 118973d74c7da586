using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Premix.Mapping;
using Premix.Providers;

namespace Premix.Plans;

/// <summary>
/// What one column keeps of its property's values, by the column's type and the engine (<see cref="ISqlDialect.StoredValues"/>):
/// a decimal's digits (<see cref="DecimalDigits"/>), the non-finite numbers an engine cannot store (<see cref="FiniteNumbers"/>),
/// text that is not UTF-16 or holds a character the engine cannot store (<see cref="WellFormedText"/>), a <c>ulong</c> enum
/// above what its signed column keeps (<see cref="UnsignedEnumRange"/>). Built once per plan,
/// only for a property with something to check, so the others cost nothing; a check reads the property typed (no box) and
/// allocates only to describe a failure. Messages never show the value of a sensitive property.
/// </summary>
/// <remarks>A rule's non-public methods are kept for trimming: the compiled check finds its <c>Check</c> overload by reflection.</remarks>
[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.NonPublicMethods)]
internal abstract class ColumnValueRule
{
    private Func<object, string?> _broken; // a stand-in until its first call (LazyDelegates.Resolved)

    protected ColumnValueRule(PropertyModel property, Type checkedType, GeneratedPropertyAccessors? generated)
    {
        Name = $"{property.Property.ReflectedType?.Name}.{property.Name}";
        IsSensitive = property.IsSensitive;
        // A generated model's getter reads the value boxed; the check is the one a value set by UpdateAllAsync gets.
        // The getter is a stand-in until its first call; the closure then keeps the real delegate (no hop on later checks).
        // A converted property's rule is its stored type's, so it reads the stored value (the generated conversion).
        _broken = (property.Converter is null ? generated?.Getter() : generated?.StoredGetter()) is { } read
            ? entity => LazyDelegates.Resolved(ref read)(entity) is { } value ? BrokenValue(value) : null
            : RuntimeFeature.IsDynamicCodeSupported ? CompileCheck(property, checkedType)
            : _ => throw NativeAotPlans.NotGenerated(property); // only a binding of a feature refused with dynamic code off lacks a getter
    }

    /// <summary>The entity and the property, as a query's message names them (<c>Charge.Memo</c>).</summary>
    protected string Name { get; }

    protected bool IsSensitive { get; }

    /// <summary>The rule of the column of <paramref name="property"/>, or <see langword="null"/> when the engine stores every value of it as it is.</summary>
    /// <param name="property">The property.</param>
    /// <param name="dialect">The engine's dialect.</param>
    /// <param name="generated">The property's accessors from a generated model (read instead of a compiled expression), or <see langword="null"/>.</param>
    public static ColumnValueRule? For(PropertyModel property, ISqlDialect dialect, GeneratedPropertyAccessors? generated = null)
    {
        ArgumentNullException.ThrowIfNull(property);
        var type = property.StoredType; // an enum stored as text is a name: nothing to check
        return type == typeof(decimal) ? DecimalDigits.ForColumn(property, dialect.StoredValues, generated)
            : type == typeof(double) || type == typeof(float) ? FiniteNumbers.ForEngine(property, dialect, generated)
            : type == typeof(string) ? new WellFormedText(property, dialect, generated)
            : type.IsEnum ? UnsignedEnumRange.For(property, generated)
            : null;
    }

    /// <summary>Why the property's value in <paramref name="entity"/> cannot be stored, as a validation failure says it; <see langword="null"/> when it can (or is null).</summary>
    public string? Broken(object entity) => LazyDelegates.Resolved(ref _broken)(entity);

    /// <summary>Why <paramref name="value"/>, a value of the property's type that <c>UpdateAllAsync</c> sets, cannot be stored; <see langword="null"/> when it can.</summary>
    public abstract string? BrokenValue(object value);

    /// <summary>
    /// Why a query cannot compare the column with <paramref name="value"/> (a value of the property's type), or <see langword="null"/>.
    /// Only values the engine could not even receive are refused: comparing with a decimal of more places than the column keeps
    /// is a fair question.
    /// </summary>
    public virtual string? NotComparable(object value) => null;

    // entity => Check((checked type)((TEntity)entity).Property, converted to its stored value), or null when the value is null: read typed, no box.
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    private Func<object, string?> CompileCheck(PropertyModel property, Type checkedType)
    {
        var entity = Expression.Parameter(typeof(object), "entity");
        var value = Expression.Variable(PropertyAccessors.StoredPropertyType(property), "value");
        var check = GetType().GetMethod("Check", BindingFlags.Instance | BindingFlags.NonPublic, [checkedType])
            ?? throw new InvalidOperationException($"{GetType().Name} has no Check({checkedType.Name}).");
        Expression Call(Expression read) => Expression.Call(Expression.Constant(this), check, Expression.Convert(read, checkedType));
        var none = Expression.Constant(null, typeof(string));
        var body = Nullable.GetUnderlyingType(value.Type) is not null ? Expression.Condition(NullableMembers.HasValue(value), Call(NullableMembers.Value(value)), none)
            : !value.Type.IsValueType ? Expression.Condition(Expression.Equal(value, Expression.Constant(null, value.Type)), none, Call(value))
            : Call(value);
        var read = PropertyAccessors.ReadStored(property, Expression.Convert(entity, PropertyAccessors.EntityType(property)));
        return LazyDelegates.Compiled(Expression.Lambda<Func<object, string?>>(Expression.Block([value], Expression.Assign(value, read), body), entity));
    }
}
