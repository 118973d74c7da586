namespace Premix.Mapping;

/// <summary>
/// The collections a column of an engine with array types (PostgreSQL) stores whole: <c>T[]</c> and <c>List&lt;T&gt;</c> of
/// a scalar type Npgsql writes as an array (<c>int[]</c> as <c>integer[]</c>, <c>List&lt;string&gt;</c> as <c>text[]</c>),
/// including nullable elements (<c>int?[]</c>). Enums and <see cref="byte"/> (a <c>byte[]</c> is <c>bytea</c>) are not elements.
/// </summary>
public static class ArrayTypes
{
    private static readonly HashSet<Type> Elements =
    [
        typeof(bool), typeof(short), typeof(int), typeof(long), typeof(decimal), typeof(double), typeof(float), typeof(string),
        typeof(Guid), typeof(DateTime), typeof(DateTimeOffset), typeof(DateOnly), typeof(TimeOnly), typeof(TimeSpan),
    ];

    /// <summary>The element type (nullable form kept: <c>int?</c> for <c>int?[]</c>) of an array property of <paramref name="type"/>, or <see langword="null"/> when it is none.</summary>
    public static Type? ElementType(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var element = type.IsArray && type.GetArrayRank() == 1 ? type.GetElementType()
            : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0]
            : null;
        return element is not null && Elements.Contains(Nullable.GetUnderlyingType(element) ?? element) ? element : null;
    }
}
