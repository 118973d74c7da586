using Premix.Benchmarks.Configuration;

namespace Premix.Tests.Benchmarks;

/// <summary>
/// When the benchmark probes' warm-up (<c>--interleave</c>, <c>--bytes</c>) counts tiered compilation as settled: a quiet
/// compile count alone ended it at load while the background JIT was still compiling or call counting was held back, and
/// the first measured rounds then ran tier-0 code; and when the runtime sent no tiering event at all, the compile count
/// alone ended it after 3 s.
/// </summary>
public sealed class TieringWaitTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(5);

    [Test]
    public void Settled_when_nothing_was_compiled_and_no_tiering_event_came_for_the_quiet_time_and_nothing_is_queued()
    {
        Assert.That(TieringWait.IsSettled(new TieringWait.TieringState(Paused: false, BackgroundRunning: false, Pending: 0, Long), Long, Quiet, Long), Is.True);
    }

    [Test]
    public void Without_any_tiering_event_not_settled_on_a_quiet_compile_count_before_the_longer_warm_up_and_settled_after()
    {
        var noEvent = new TieringWait.TieringState(false, false, 0, TimeSpan.MaxValue);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(TieringWait.IsSettled(noEvent, Quiet, Quiet, TieringWait.WithoutEvents - TimeSpan.FromMilliseconds(1)), Is.False, "3 s into a warm-up the runtime fed no event: the measured rounds ran lower-tier code");
            Assert.That(TieringWait.IsSettled(noEvent, Quiet, Quiet, TieringWait.WithoutEvents), Is.True);
        }
    }

    [Test]
    public void Not_settled_while_the_background_jit_is_compiling_though_the_compile_count_is_quiet()
    {
        Assert.That(TieringWait.IsSettled(new TieringWait.TieringState(false, BackgroundRunning: true, Pending: 0, Long), Long, Quiet, Long), Is.False);
    }

    [Test]
    public void Not_settled_while_methods_are_queued_for_the_background_jit()
    {
        Assert.That(TieringWait.IsSettled(new TieringWait.TieringState(false, false, Pending: 12, Long), Long, Quiet, Long), Is.False);
    }

    [Test]
    public void Not_settled_while_call_counting_is_held_back_by_its_delay()
    {
        Assert.That(TieringWait.IsSettled(new TieringWait.TieringState(Paused: true, false, 0, Long), Long, Quiet, Long), Is.False);
    }

    [Test]
    public void Not_settled_when_a_method_was_compiled_within_the_quiet_time()
    {
        Assert.That(TieringWait.IsSettled(new TieringWait.TieringState(false, false, 0, Long), Quiet - TimeSpan.FromMilliseconds(1), Quiet, Long), Is.False);
    }

    [Test]
    public void Not_settled_when_a_tiering_event_came_within_the_quiet_time()
    {
        Assert.That(TieringWait.IsSettled(new TieringWait.TieringState(false, false, 0, TimeSpan.FromMilliseconds(300)), Long, Quiet, Long), Is.False);
    }
}
