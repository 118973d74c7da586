namespace Premix.Benchmarks.Configuration;

/// <summary>
/// The order of the contenders' blocks in each round of <see cref="InterleavedProbe"/>: rotated every round, so that
/// over every <c>count</c> rounds each contender runs once in each position (first, second, …, last), and reversed
/// every other such cycle, so that each contender follows the one before it in the list as often as the one after it.
/// </summary>
/// <remarks>
/// Wall time was seen to follow the position in the round (the nineteenth session: reversing the order of two contenders
/// reversed the sign of a 2–12 % difference). The order before this one, forward and backward in turn, put only the
/// first and the last contender at the ends of a round and made each of them run two blocks in a row at every turn; a
/// rotation gives every position to every contender equally. With two contenders a rotation is still forward and
/// backward in turn: the same contender then runs twice in a row at the turns, each of the two as often.
/// </remarks>
internal static class InterleaveOrder
{
    /// <summary>The contenders' indexes, in the order their blocks run in round <paramref name="round"/> (from 0).</summary>
    public static int[] For(int round, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(round);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var order = new int[count];
        var start = round % count;
        for (var position = 0; position < count; position++)
        {
            order[position] = (start + position) % count;
        }

        if (round / count % 2 == 1)
        {
            Array.Reverse(order);
        }

        return order;
    }

    /// <summary>How many of <paramref name="rounds"/> rounds each contender runs first.</summary>
    public static int[] FirstCounts(int rounds, int count)
    {
        var first = new int[count];
        for (var round = 0; round < rounds; round++)
        {
            first[For(round, count)[0]]++;
        }

        return first;
    }
}
