using Npgsql;
using NpgsqlTypes;

namespace Premix.Providers.PostgreSql;

/// <summary>
/// PostgreSQL's built-in range types, held in <see cref="NpgsqlRange{T}"/> properties, which Npgsql writes and reads itself:
/// <c>int4range</c>, <c>int8range</c>, <c>numrange</c>, <c>tsrange</c>, <c>tstzrange</c> and <c>daterange</c>.
/// </summary>
internal static class PostgreSqlRanges
{
    private static readonly Dictionary<Type, string> Types = new()
    {
        [typeof(NpgsqlRange<int>)] = "int4range",
        [typeof(NpgsqlRange<long>)] = "int8range",
        [typeof(NpgsqlRange<decimal>)] = "numrange",
        [typeof(NpgsqlRange<DateTime>)] = "tsrange",
        [typeof(NpgsqlRange<DateTimeOffset>)] = "tstzrange",
        [typeof(NpgsqlRange<DateOnly>)] = "daterange",
    };

    /// <summary>The <see cref="NpgsqlRange{T}"/> types Premix maps.</summary>
    public static IEnumerable<Type> ClrTypes => Types.Keys;

    /// <summary>The range type a property of <paramref name="type"/> (not nullable) is stored as, or <see langword="null"/> when it is no range Premix maps.</summary>
    public static string? TypeName(Type type) => Types.GetValueOrDefault(type);

    /// <summary>The <see cref="NpgsqlRange{T}"/> type of a range column (<c>int4range</c>), or <see langword="null"/> when it is no range Premix maps.</summary>
    public static Type? ClrType(string typeName) => Types.FirstOrDefault(t => t.Value == typeName).Key;

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
