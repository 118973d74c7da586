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

    /// <summary>The range type a property of <paramref name="type"/> (not nullable) is stored as, or <see langword="null"/> when it is no range Premix maps.</summary>
    public static string? TypeName(Type type) => Types.GetValueOrDefault(type);

    /// <summary>
    /// The same range with UTC bounds, the same instants: Npgsql writes a <see cref="DateTimeOffset"/> to <c>timestamptz</c> only
    /// with offset 0, as it does a plain one (which Premix converts alike).
    /// </summary>
    public static NpgsqlRange<DateTimeOffset> ToUniversalTime(NpgsqlRange<DateTimeOffset> range) => range.IsEmpty ? range : new(
        range.LowerBoundInfinite ? default : range.LowerBound.ToUniversalTime(), range.LowerBoundIsInclusive, range.LowerBoundInfinite,
        range.UpperBoundInfinite ? default : range.UpperBound.ToUniversalTime(), range.UpperBoundIsInclusive, range.UpperBoundInfinite);
}
