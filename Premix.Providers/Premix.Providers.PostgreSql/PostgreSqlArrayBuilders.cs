using NpgsqlTypes;

namespace Premix.Providers.PostgreSql;

/// <summary>
/// The one table of the element types PostgreSQL arrays are made of here, each with its array type and typed-array
/// builder named in code, so that native AOT compiles them (it cannot make <c>T[]</c> or <c>ArrayOf&lt;T&gt;</c> at run time):
/// every scalar type <see cref="PostgreSqlDialect.ColumnType"/> stores, <c>byte[]</c> (<c>bytea</c>) and the range types
/// included, as a list compared with a column (<c>ids.Contains(x.Id)</c>) has the column's type; array columns
/// (<see cref="Mapping.ArrayTypes.ScalarElements"/>) use the part of it their elements may be.
/// </summary>
internal static class PostgreSqlArrayBuilders
{
    private static readonly Dictionary<Type, (Type Array, Type NullableArray, Func<IReadOnlyList<object>, object> Build)> Table = new[]
    {
        Value<bool>(), Value<short>(), Value<int>(), Value<long>(), Value<decimal>(), Value<double>(), Value<float>(), Reference<string>(),
        Value<Guid>(), Value<DateTime>(), Value<DateTimeOffset>(), Value<DateOnly>(), Value<TimeOnly>(), Value<TimeSpan>(), Reference<byte[]>(),
        Value<NpgsqlRange<int>>(), Value<NpgsqlRange<long>>(), Value<NpgsqlRange<decimal>>(), Value<NpgsqlRange<DateTime>>(),
        Value<NpgsqlRange<DateTimeOffset>>(), Value<NpgsqlRange<DateOnly>>(),
    }.ToDictionary(r => r.Element, r => (r.Array, r.NullableArray, r.Build));

    /// <summary>The element types of the table.</summary>
    public static IReadOnlyCollection<Type> Elements => Table.Keys;

    /// <summary>The element types with a builder, for the message that refuses another while dynamic code is off.</summary>
    public static string KnownNames { get; } = string.Join(", ", Table.Keys.Select(t => t.Name));

    /// <summary>The builder of <paramref name="element"/>[], or <see langword="null"/> when it is not in the table.</summary>
    public static Func<IReadOnlyList<object>, object>? Known(Type element) => Table.TryGetValue(element, out var row) ? row.Build : null;

    /// <summary><paramref name="element"/>[], or <see langword="null"/> when it is not in the table.</summary>
    public static Type? ArrayType(Type element) => Table.TryGetValue(element, out var row) ? row.Array : null;

    /// <summary><paramref name="element"/>?[] for a value type (<paramref name="element"/>[] for a reference type), or <see langword="null"/> when it is not in the table.</summary>
    public static Type? NullableArrayType(Type element) => Table.TryGetValue(element, out var row) ? row.NullableArray : null;

    private static (Type Element, Type Array, Type NullableArray, Func<IReadOnlyList<object>, object> Build) Value<T>()
        where T : struct => (typeof(T), typeof(T[]), typeof(T?[]), PostgreSqlDialect.ArrayOf<T>);

    private static (Type Element, Type Array, Type NullableArray, Func<IReadOnlyList<object>, object> Build) Reference<T>()
        where T : class => (typeof(T), typeof(T[]), typeof(T[]), PostgreSqlDialect.ArrayOf<T>);
}
