namespace Premix.Mapping;

/// <summary>
/// The collections a column of an engine with array types (PostgreSQL) stores whole: <c>T[]</c> and <c>List&lt;T&gt;</c> of
/// a scalar type Npgsql writes as an array (<c>int[]</c> as <c>integer[]</c>, <c>List&lt;string&gt;</c> as <c>text[]</c>),
/// including nullable elements (<c>int?[]</c>), and of an enum stored as a database enum type (<c>StoredAsEnumType</c>,
/// see <see cref="EnumElementType"/>). <see cref="byte"/> is no element (a <c>byte[]</c> is <c>bytea</c>).
/// </summary>
public static class ArrayTypes
{
    private static readonly HashSet<Type> Elements =
    [
        typeof(bool), typeof(short), typeof(int), typeof(long), typeof(decimal), typeof(double), typeof(float), typeof(string),
        typeof(Guid), typeof(DateTime), typeof(DateTimeOffset), typeof(DateOnly), typeof(TimeOnly), typeof(TimeSpan),
    ];

    /// <summary>
    /// The scalar element types an array property may have (without <c>?</c>; enums apart, see <see cref="EnumElementType"/>),
    /// for a provider whose code must name each one (native AOT makes no array or generic type at run time).
    /// </summary>
    public static IReadOnlySet<Type> ScalarElements => Elements;

    /// <summary>The element type (nullable form kept: <c>int?</c> for <c>int?[]</c>) of an array property of <paramref name="type"/>, or <see langword="null"/> when it is none.</summary>
    public static Type? ElementType(Type type) =>
        CollectionElement(type) is { } element && Elements.Contains(Nullable.GetUnderlyingType(element) ?? element) ? element : null;

    /// <summary>
    /// The enum element type (nullable form kept: <c>Rating?</c> for <c>List&lt;Rating?&gt;</c>) of <paramref name="type"/>, or
    /// <see langword="null"/>: such a property is an array column only when its enum is a database enum type
    /// (<c>StoredAsEnumType</c>), whose array type (<c>rating[]</c>) holds the labels.
    /// </summary>
    public static Type? EnumElementType(Type type) =>
        CollectionElement(type) is { } element && (Nullable.GetUnderlyingType(element) ?? element).IsEnum ? element : null;

    private static Type? CollectionElement(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.IsArray && type.GetArrayRank() == 1 ? type.GetElementType()
            : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0]
            : null;
    }
}
