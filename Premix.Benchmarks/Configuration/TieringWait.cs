using System.Diagnostics;
using System.Diagnostics.Tracing;

namespace Premix.Benchmarks.Configuration;

/// <summary>
/// The warm-up both probes share (<see cref="InterleavedProbe"/>, <see cref="BytesProbe"/>): rounds of every method until
/// tiered compilation has settled, so that the measured rounds run optimized code and no background recompile lands in
/// them.
/// </summary>
/// <remarks>
/// "Settled" is read from two sources. <see cref="System.Runtime.JitInfo.GetCompiledMethodCount(bool)"/> says whether any
/// method was compiled; alone it was not enough: at load 12–29 it stayed still for 2 s while hot methods were still at
/// tier 0 or in the instrumented tier (a profile of the 15 s after such a warm-up had 10,638 tier-0 and 6,947
/// instrumented-tier frames against 224 tier-1 ones, docs/performance.md), because the tiering background worker,
/// starved of CPU, was in the middle of a compile, or call counting was held back by its delay (100 ms, ten times that
/// in a process that sees one processor, as under <c>taskset -c 1</c>). So the runtime's own tiering events are read
/// too (<c>TieredCompilationPause</c>/<c>Resume</c>: the call-counting delay; <c>TieredCompilationBackgroundJitStart</c>/<c>Stop</c>
/// with the number of methods still queued), through an in-process listener that is disposed before anything is
/// measured. The warm-up ends when, for <see cref="Quiet"/>, no method was compiled and no tiering event came, the
/// background worker is idle with nothing queued and call counting is not held back (<see cref="IsSettled"/>; without any
/// tiering event, not before <see cref="WithoutEvents"/>); or when <see cref="Longest"/> has passed, which the result says.
/// </remarks>
internal static class TieringWait
{
    /// <summary>How long nothing may be compiled, and no tiering event come, before tiering counts as settled.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    /// <summary>The longest warm-up: after it the probe measures anyway and says the JIT was still busy.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(90);

    /// <summary>
    /// The shortest warm-up when the runtime's tiering events do not arrive (the listener is sometimes never fed, run to run
    /// of the same build): the compile count alone then ended a warm-up after 3 s, and the measured rounds compiled 178
    /// methods and ran about 2.5 times the CPU of a run that had the events (2026-12-07, docs/performance.md). Runs with
    /// the events settled after 20–25 s.
    /// </summary>
    public static readonly TimeSpan WithoutEvents = TimeSpan.FromSeconds(30);

    // A round of the warm-up calls every method at least once and lasts at least this long.
    private static readonly TimeSpan Round = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Whether tiering has settled: nothing compiled and no tiering event for <paramref name="quiet"/>, the background
    /// worker idle with no method queued, call counting not held back by its delay; without any tiering event, not before
    /// <see cref="WithoutEvents"/> of warm-up (<paramref name="elapsed"/>).
    /// </summary>
    public static bool IsSettled(TieringState state, TimeSpan sinceLastCompile, TimeSpan quiet, TimeSpan elapsed) =>
        sinceLastCompile >= quiet && state.SinceLastEvent >= quiet && !state.BackgroundRunning && state.Pending == 0 && !state.Paused
        && (state.SinceLastEvent != TimeSpan.MaxValue || elapsed >= WithoutEvents);

    /// <summary>Rounds of every call until tiering has settled (<see cref="IsSettled"/>) or <see cref="Longest"/> has passed.</summary>
    public static async Task<Result> WarmUpAsync(IReadOnlyList<Func<Task>> calls)
    {
        using var events = new TieringEvents();
        var clock = Stopwatch.StartNew();
        var rounds = 0;
        var lastCompile = TimeSpan.Zero;
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        while (true)
        {
            var round = Stopwatch.StartNew();
            do
            {
                foreach (var call in calls)
                {
                    await call();
                }
            }
            while (round.Elapsed < Round);

            rounds++;
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                compiled = now;
                lastCompile = clock.Elapsed;
            }

            var state = events.State;
            var elapsed = clock.Elapsed;
            var settled = IsSettled(state, elapsed - lastCompile, Quiet, elapsed);
            if (settled || elapsed >= Longest)
            {
                return new Result(rounds, elapsed, settled, compiled, state, events.Seen);
            }
        }
    }

    /// <summary>What the warm-up did and how it ended.</summary>
    /// <param name="Rounds">Rounds of every call.</param>
    /// <param name="Elapsed">Its wall time.</param>
    /// <param name="Settled">Whether tiering had settled; false: <see cref="Longest"/> passed first.</param>
    /// <param name="Compiled">Methods the JIT had compiled when it ended.</param>
    /// <param name="State">The tiering state at its end.</param>
    /// <param name="TieringEvents">Tiering events received: 0 means the runtime sent none, and only the compile count was read.</param>
    public sealed record Result(int Rounds, TimeSpan Elapsed, bool Settled, long Compiled, TieringState State, int TieringEvents)
    {
        /// <summary>One line for the probes' output.</summary>
        public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{Rounds} rounds, {Elapsed.TotalSeconds:F1} s, {Compiled} methods compiled; tiering {(Settled ? "settled" : "NOT settled")}: {State.Pending} methods queued for the background JIT{(State.BackgroundRunning ? " (compiling)" : "")}{(State.Paused ? ", call counting held back" : "")}, {TieringEvents} tiering events{(TieringEvents == 0 ? $" (none received: the compile count was read, for at least {WithoutEvents.TotalSeconds:F0} s)" : "")}{(Settled ? "" : " — the first rounds may include the JIT's work")}");
    }

    /// <summary>The tiering state the runtime's events describe.</summary>
    /// <param name="Paused">Call counting held back by its delay (a <c>TieredCompilationPause</c> not yet resumed).</param>
    /// <param name="BackgroundRunning">The background worker compiling (a <c>BackgroundJitStart</c> not yet stopped).</param>
    /// <param name="Pending">Methods queued for it, as its last start or stop said.</param>
    /// <param name="SinceLastEvent">Time since the last tiering event (<see cref="TimeSpan.MaxValue"/> before any).</param>
    public readonly record struct TieringState(bool Paused, bool BackgroundRunning, int Pending, TimeSpan SinceLastEvent);

    // The runtime's tiered-compilation events, on the listener's dispatch thread.
    private sealed class TieringEvents : EventListener
    {
        private const long TieredCompilationKeyword = 0x1000000000;
        private const int PauseEventId = 281;
        private const int ResumeEventId = 282;
        private const int BackgroundJitStartEventId = 283;
        private const int BackgroundJitStopEventId = 284;

        private readonly object _gate = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private bool _paused;
        private bool _running;
        private int _pending;
        private TimeSpan? _last;
        private int _seen;

        public TieringState State
        {
            get
            {
                lock (_gate)
                {
                    return new TieringState(_paused, _running, _pending, _last is { } last ? _clock.Elapsed - last : TimeSpan.MaxValue);
                }
            }
        }

        public int Seen
        {
            get
            {
                lock (_gate)
                {
                    return _seen;
                }
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)TieredCompilationKeyword);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventId is < PauseEventId or > BackgroundJitStopEventId)
            {
                return;
            }

            lock (_gate)
            {
                _seen++;
                _last = _clock.Elapsed;
                switch (eventData.EventId)
                {
                    case PauseEventId:
                        _paused = true;
                        break;
                    case ResumeEventId:
                        _paused = false;
                        break;
                    case BackgroundJitStartEventId:
                        _running = true;
                        _pending = Pending(eventData);
                        break;
                    case BackgroundJitStopEventId:
                        _running = false;
                        _pending = Pending(eventData);
                        break;
                }
            }
        }

        private static int Pending(EventWrittenEventArgs eventData)
        {
            var index = eventData.PayloadNames?.IndexOf("PendingMethodCount") ?? -1;
            return index >= 0 && eventData.Payload?[index] is { } value ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        }
    }
}
