using NpgsqlTypes;

namespace Premix.Providers.PostgreSql;

/// <summary>What a query may ask of a range column (<c>Where(b =&gt; b.Seats.Contains(5))</c>, PostgreSQL's <c>@&gt;</c>), also usable in memory.</summary>
public static class NpgsqlRangeExtensions
{
    /// <summary>
    /// Whether <paramref name="range"/> holds <paramref name="value"/>, by its bounds (inclusive, exclusive or infinite); an
    /// empty range holds nothing. In a query it is <c>column @&gt; @value</c>.
    /// </summary>
    /// <typeparam name="T">The type of the range's bounds.</typeparam>
    /// <param name="range">The range.</param>
    /// <param name="value">The value looked for.</param>
    public static bool Contains<T>(this NpgsqlRange<T> range, T value) where T : IComparable<T>
    {
        if (range.IsEmpty)
        {
            return false;
        }

        var aboveLower = range.LowerBoundInfinite || (range.LowerBoundIsInclusive ? value.CompareTo(range.LowerBound) >= 0 : value.CompareTo(range.LowerBound) > 0);
        var belowUpper = range.UpperBoundInfinite || (range.UpperBoundIsInclusive ? value.CompareTo(range.UpperBound) <= 0 : value.CompareTo(range.UpperBound) < 0);
        return aboveLower && belowUpper;
    }
}
