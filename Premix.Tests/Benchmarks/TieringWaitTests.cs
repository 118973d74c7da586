using Premix.Benchmarks.Configuration;

namespace Premix.Tests.Benchmarks;

/// <summary>
/// When the benchmark probes' warm-up (<c>--interleave</c>, <c>--bytes</c>) counts tiered compilation as settled: a quiet
/// compile count alone ended it at load while the background JIT was still compiling or call counting was held back, and
/// the first measured rounds then ran tier-0 code.
/// </summary>
public sealed class TieringWaitTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(5);

    [Test]
    public void Settled_when_nothing_was_compiled_and_no_tiering_event_came_for_the_quiet_time_and_nothing_is_queued()
    {
        Assert.That(TieringWait.IsSettled(new TieringWait.TieringState(Paused: false, BackgroundRunning: false, Pending: 0, Long), Long, Quiet), Is.True);
    }

    [Test]
    public void Settled_on_the_compile_count_alone_when_the_runtime_sent_no_tiering_event()
    {
        Assert.That(TieringWait.IsSettled(new TieringWait.TieringState(false, false, 0, TimeSpan.MaxValue), Quiet, Quiet), Is.True);
    }

    [Test]
    public void Not_settled_while_the_background_jit_is_compiling_though_the_compile_count_is_quiet()
    {
        Assert.That(TieringWait.IsSettled(new TieringWait.TieringState(false, BackgroundRunning: true, Pending: 0, Long), Long, Quiet), Is.False);
    }

    [Test]
    public void Not_settled_while_methods_are_queued_for_the_background_jit()
    {
        Assert.That(TieringWait.IsSettled(new TieringWait.TieringState(false, false, Pending: 12, Long), Long, Quiet), Is.False);
    }

    [Test]
    public void Not_settled_while_call_counting_is_held_back_by_its_delay()
    {
        Assert.That(TieringWait.IsSettled(new TieringWait.TieringState(Paused: true, false, 0, Long), Long, Quiet), Is.False);
    }

    [Test]
    public void Not_settled_when_a_method_was_compiled_within_the_quiet_time()
    {
        Assert.That(TieringWait.IsSettled(new TieringWait.TieringState(false, false, 0, Long), Quiet - TimeSpan.FromMilliseconds(1), Quiet), Is.False);
    }

    [Test]
    public void Not_settled_when_a_tiering_event_came_within_the_quiet_time()
    {
        Assert.That(TieringWait.IsSettled(new TieringWait.TieringState(false, false, 0, TimeSpan.FromMilliseconds(300)), Long, Quiet), Is.False);
    }
}
