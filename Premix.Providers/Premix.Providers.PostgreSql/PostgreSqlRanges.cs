using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Premix.Providers.PostgreSql;

/// <summary>
/// PostgreSQL's built-in range types, held in <see cref="NpgsqlRange{T}"/> properties, which Npgsql writes and reads itself:
/// <c>int4range</c>, <c>int8range</c>, <c>numrange</c>, <c>tsrange</c>, <c>tstzrange</c> and <c>daterange</c>.
/// </summary>
internal static class PostgreSqlRanges
{
    private static readonly Dictionary<Type, (string Name, Func<DbDataReader, int, object> Getter)> Types = new[]
    {
        Range<int>("int4range"), Range<long>("int8range"), Range<decimal>("numrange"), Range<DateTime>("tsrange"),
        Range<DateTimeOffset>("tstzrange"), Range<DateOnly>("daterange"),
    }.ToDictionary(r => r.Type, r => (r.Name, r.Getter));

    /// <summary>The <see cref="NpgsqlRange{T}"/> types Premix maps.</summary>
    public static IEnumerable<Type> ClrTypes => Types.Keys;

    /// <summary>The range type a property of <paramref name="type"/> (not nullable) is stored as, or <see langword="null"/> when it is no range Premix maps.</summary>
    public static string? TypeName(Type type) => Types.TryGetValue(type, out var range) ? range.Name : null;

    /// <summary>The <see cref="NpgsqlRange{T}"/> type of a range column (<c>int4range</c>), or <see langword="null"/> when it is no range Premix maps.</summary>
    public static Type? ClrType(string typeName) => Types.FirstOrDefault(t => t.Value.Name == typeName).Key;

    /// <summary>
    /// The typed read of a column of <paramref name="type"/>, boxed, or <see langword="null"/> when it is no range Premix maps:
    /// <c>GetValue</c> would answer the driver's default type (a <c>tstzrange</c> as a range of <see cref="DateTime"/>).
    /// </summary>
    public static Func<DbDataReader, int, object>? Getter(Type type) => Types.TryGetValue(type, out var range) ? range.Getter : null;

    // Named per element type, so that native AOT compiles each GetFieldValue<NpgsqlRange<T>>.
    private static (Type Type, string Name, Func<DbDataReader, int, object> Getter) Range<T>(string name) =>
        (typeof(NpgsqlRange<T>), name, static (reader, ordinal) => reader.GetFieldValue<NpgsqlRange<T>>(ordinal));

    /// <summary>
    /// The same range with UTC bounds, the same instants: Npgsql writes a <see cref="DateTimeOffset"/> to <c>timestamptz</c> only
    /// with offset 0, as it does a plain one (which Premix converts alike).
    /// </summary>
    public static NpgsqlRange<DateTimeOffset> ToUniversalTime(NpgsqlRange<DateTimeOffset> range) => range.IsEmpty ? range : new(
        range.LowerBoundInfinite ? default : range.LowerBound.ToUniversalTime(), range.LowerBoundIsInclusive, range.LowerBoundInfinite,
        range.UpperBoundInfinite ? default : range.UpperBound.ToUniversalTime(), range.UpperBoundIsInclusive, range.UpperBoundInfinite);

    /// <summary>
    /// <c>range @&gt; value</c>, the value sent as a bound of the range is: a <see cref="DateTimeOffset"/> as its UTC instant
    /// (Npgsql writes only offset 0 to <c>timestamptz</c>), a <see cref="DateTime"/> as wall-clock time to a <c>tsrange</c>
    /// (whatever its kind, as a <c>timestamp</c> column is written), each typed as the range's element.
    /// </summary>
    public static ArrayElementCondition Contains(Type rangeType, string sql) => rangeType.GetGenericArguments()[0] switch
    {
        var t when t == typeof(DateTimeOffset) => new(sql, static v => ((DateTimeOffset)v).ToUniversalTime(), Typed(NpgsqlDbType.TimestampTz)),
        var t when t == typeof(DateTime) => new(sql, static v => DateTime.SpecifyKind((DateTime)v, DateTimeKind.Unspecified), Typed(NpgsqlDbType.Timestamp)),
        var t when t == typeof(DateOnly) => new(sql, null, Typed(NpgsqlDbType.Date)),
        var t when t == typeof(decimal) => new(sql, null, Typed(NpgsqlDbType.Numeric)),
        var t when t == typeof(long) => new(sql, null, Typed(NpgsqlDbType.Bigint)),
        _ => new(sql, null, Typed(NpgsqlDbType.Integer)),
    };

    private static Action<System.Data.IDbDataParameter> Typed(NpgsqlDbType type) => parameter => ((NpgsqlParameter)parameter).NpgsqlDbType = type;
}
