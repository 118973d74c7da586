using Premix.Benchmarks.Configuration;

namespace Premix.Tests.Benchmarks;

/// <summary>
/// The order of the contenders' blocks in <c>--interleave</c>'s rounds: wall time was seen to follow a block's position in
/// the round, so every contender must hold every position equally often, and follow each neighbour equally often.
/// </summary>
public sealed class InterleaveOrderTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    public void Every_round_runs_each_contender_once(int count)
    {
        for (var round = 0; round < 4 * count; round++)
        {
            Assert.That(InterleaveOrder.For(round, count).Order(), Is.EqualTo(Enumerable.Range(0, count)), $"round {round}");
        }
    }

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    public void Over_two_cycles_each_contender_holds_each_position_twice(int count)
    {
        var held = new int[count, count];
        for (var round = 0; round < 2 * count; round++)
        {
            var order = InterleaveOrder.For(round, count);
            for (var position = 0; position < count; position++)
            {
                held[order[position], position]++;
            }
        }

        Assert.That(held.Cast<int>(), Is.All.EqualTo(2));
    }

    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    public void Over_two_cycles_each_contender_follows_the_one_before_it_as_often_as_the_one_after_it(int count)
    {
        var follows = new int[count, count]; // [contender, the one whose block ran just before it in the same round]
        for (var round = 0; round < 2 * count; round++)
        {
            var order = InterleaveOrder.For(round, count);
            for (var position = 1; position < count; position++)
            {
                follows[order[position], order[position - 1]]++;
            }
        }

        for (var contender = 0; contender < count; contender++)
        {
            Assert.That(follows[contender, (contender + count - 1) % count], Is.EqualTo(follows[contender, (contender + 1) % count]), $"contender {contender}");
        }
    }

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    public void The_order_repeats_every_two_cycles_so_every_run_of_2n_rounds_is_as_balanced_as_the_first(int count)
    {
        for (var round = 0; round < 12 * count; round++)
        {
            Assert.That(InterleaveOrder.For(round + (2 * count), count), Is.EqualTo(InterleaveOrder.For(round, count)), $"round {round}");
        }
    }

    [TestCase(2, 40)]
    [TestCase(3, 60)]
    [TestCase(4, 16)]
    public void Each_contender_runs_first_in_as_many_rounds_as_every_other(int count, int rounds)
    {
        Assert.That(InterleaveOrder.FirstCounts(rounds, count), Is.All.EqualTo(rounds / count));
    }
}
