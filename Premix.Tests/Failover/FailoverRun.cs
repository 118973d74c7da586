using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Premix.Providers;

namespace Premix.Tests.Failover;

/// <summary>
/// Writers and readers running through Premix while the pair fails over: 8 writers commit one unit of work after another
/// for <see cref="Duration"/>, 2 readers read meanwhile; the primary is killed at <see cref="KillAt"/> and the standby
/// promoted <see cref="PromotionGap"/> later, as an HA manager does. Every unit's reported outcome and every read is
/// recorded with the time it ended, to be compared with what the promoted server holds. Each writer and reader has a
/// thread of its own, so writers on the synchronous API block no thread another one needs.
/// </summary>
/// <param name="duration">How long the writers and readers run (20 s by default); with <paramref name="untilRecovered"/>, the run's deadline.</param>
/// <param name="killAt">When the primary is killed (5 s by default).</param>
/// <param name="untilRecovered">
/// Whether the run ends as soon as every writer has committed a unit of work that ended after the promotion (an event,
/// not a time a loaded machine may overrun); <see cref="DeadlineReached"/> tells when it ran to <paramref name="duration"/> instead.
/// </param>
internal sealed class FailoverRun(TimeSpan? duration = null, TimeSpan? killAt = null, bool untilRecovered = false)
{
    public static readonly TimeSpan PromotionGap = TimeSpan.FromSeconds(1);

    // How long after Duration a writer or reader may still run before the run fails rather than block the test job: a
    // statement or an open with no timeout that hangs (a silent server, a sync-over-async deadlock).
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(60);
    private const int Writers = 8;
    private const int Readers = 2;

    private readonly ConcurrentQueue<UnitRecord> _units = new();
    private readonly ConcurrentQueue<ReadRecord> _reads = new();
    private readonly Stopwatch _clock = new();
    private long _promotedAtTicks = -1; // PromotedAt, read by the writers' threads
    private int _writersRecovered; // writers that committed a unit of work ending after the promotion

    /// <summary>How long the writers and readers run.</summary>
    public TimeSpan Duration { get; } = duration ?? TimeSpan.FromSeconds(20);

    /// <summary>When the primary is killed, from the start.</summary>
    public TimeSpan KillAt { get; } = killAt ?? TimeSpan.FromSeconds(5);

    /// <summary>What each unit of work was reported as, by reference.</summary>
    public IReadOnlyList<UnitRecord> Units => [.. _units];

    /// <summary>Every read, failed or not.</summary>
    public IReadOnlyList<ReadRecord> Reads => [.. _reads];

    /// <summary>When the primary was killed, since the start.</summary>
    public TimeSpan KilledAt { get; private set; }

    /// <summary>When the standby's promotion had completed (pg_ctl promote returned), since the start; <see langword="null"/> without one.</summary>
    public TimeSpan? PromotedAt => Volatile.Read(ref _promotedAtTicks) is var ticks and >= 0 ? TimeSpan.FromTicks(ticks) : null;

    /// <summary>Whether a run <c>untilRecovered</c> ran to its deadline: some writer committed nothing after the promotion.</summary>
    public bool DeadlineReached => untilRecovered && Volatile.Read(ref _writersRecovered) < Writers;

    private bool Running => _clock.Elapsed < Duration && !(untilRecovered && Volatile.Read(ref _writersRecovered) == Writers);

    /// <summary>
    /// Runs <paramref name="unit"/> (one unit of work writing the reference it is given) on 8 writers and
    /// <paramref name="read"/> on 2 readers through the failover of <paramref name="pair"/>: at <see cref="KillAt"/>,
    /// <paramref name="kill"/> (by default the pair's <c>kill-primary</c>), then, unless <paramref name="promote"/> is
    /// false, the standby's promotion <see cref="PromotionGap"/> later.
    /// </summary>
    public async Task RunAsync(FailoverPair pair, Func<string, Task> unit, Func<Task> read, Func<Task>? kill = null, bool promote = true)
    {
        _clock.Start();
        var writers = Enumerable.Range(0, Writers).Select(w => OwnThread(() => WriteAsync(w, unit))).ToList();
        var readers = Enumerable.Range(0, Readers).Select(_ => OwnThread(() => ReadAsync(read))).ToList();
        await Task.Delay(KillAt);
        await (kill ?? (() => pair.ControlAsync("kill-primary")))();
        KilledAt = _clock.Elapsed;
        if (promote)
        {
            await Task.Delay(PromotionGap);
            await pair.ControlAsync("promote");
            Volatile.Write(ref _promotedAtTicks, _clock.Elapsed.Ticks);
        }

        try
        {
            await Task.WhenAll(writers.Concat(readers)).WaitAsync(Duration - _clock.Elapsed + HangBound);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The run did not end {HangBound.TotalSeconds:0} s after its {Duration.TotalSeconds:0} s: "
                + $"writers still running: {StillRunning(writers, "w")}; readers still running: {StillRunning(readers, "r")}. A statement or an open hangs with no timeout.");
        }

        static Task OwnThread(Func<Task> loop) =>
            Task.Factory.StartNew(loop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

        static string StillRunning(List<Task> tasks, string prefix) =>
            string.Join(", ", tasks.Index().Where(t => !t.Item.IsCompleted).Select(t => prefix + t.Index.ToString(CultureInfo.InvariantCulture))) is { Length: > 0 } names ? names : "none";
    }

    private async Task WriteAsync(int writer, Func<string, Task> unit)
    {
        var recovered = false;
        for (var i = 0; Running; i++)
        {
            var reference = string.Create(CultureInfo.InvariantCulture, $"w{writer}-{i}");
            var started = _clock.Elapsed;
            string outcome;
            try
            {
                await unit(reference);
                outcome = Committed;
            }
            catch (CommitOutcomeUnknownException)
            {
                outcome = Unknown;
            }
            catch (DatabaseCommandException e) when (e.ErrorKind == DatabaseErrorKind.ConnectionLost)
            {
                // A read is retried; a statement of a transaction holding a raw write is not (nor is its COMMIT).
                outcome = ConnectionLost + (e.Sql.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) ? " in a read: " : ": ") + e.Operation;
            }
            catch (Exception e)
            {
                outcome = $"failed: {e.GetType().Name}: {e.Message}";
            }

            var ended = _clock.Elapsed;
            _units.Enqueue(new UnitRecord(reference, outcome, ended, ended - started));
            if (!recovered && outcome == Committed && ended > PromotedAt)
            {
                recovered = true;
                Interlocked.Increment(ref _writersRecovered);
            }
        }
    }

    private async Task ReadAsync(Func<Task> read)
    {
        while (Running)
        {
            string? error = null;
            try
            {
                await read();
            }
            catch (Exception e)
            {
                error = $"{e.GetType().Name}: {e.Message}";
            }

            _reads.Enqueue(new ReadRecord(error, _clock.Elapsed));
        }
    }

    /// <summary>The outcome of a unit of work reported done.</summary>
    public const string Committed = "committed";

    /// <summary>The outcome of a unit of work that threw <see cref="CommitOutcomeUnknownException"/>.</summary>
    public const string Unknown = "unknown";

    /// <summary>
    /// The start of the outcome of a unit of work whose statement lost its connection and was not run again: followed by
    /// <c>": "</c> and the statement's operation for a write, by <c>" in a read: "</c> and the operation for a read.
    /// </summary>
    public const string ConnectionLost = "connection lost";

    /// <summary>A unit of work: its reference, what Premix reported, when it ended, how long it took.</summary>
    public sealed record UnitRecord(string Reference, string Outcome, TimeSpan Ended, TimeSpan Took);

    /// <summary>A read: its error (<see langword="null"/> when it succeeded), when it ended.</summary>
    public sealed record ReadRecord(string? Error, TimeSpan Ended);

    /// <summary>
    /// From the first failure (an operation that ended without success) to the first success after it; <see langword="null"/>
    /// when nothing failed.
    /// </summary>
    public static TimeSpan? Outage(IEnumerable<(bool Succeeded, TimeSpan Ended)> operations)
    {
        var ordered = operations.OrderBy(o => o.Ended).ToList();
        var firstFailure = ordered.FindIndex(o => !o.Succeeded);
        if (firstFailure < 0)
        {
            return null;
        }

        var recovery = ordered.FindIndex(firstFailure, o => o.Succeeded);
        return recovery < 0 ? TimeSpan.MaxValue : ordered[recovery].Ended - ordered[firstFailure].Ended;
    }

    /// <summary>The longest time between two successes (or from the start to the first), over the whole run.</summary>
    public static TimeSpan LongestWithoutSuccess(IEnumerable<(bool Succeeded, TimeSpan Ended)> operations)
    {
        var previous = TimeSpan.Zero;
        var longest = TimeSpan.Zero;
        foreach (var ended in operations.Where(o => o.Succeeded).Select(o => o.Ended).Order())
        {
            longest = ended - previous > longest ? ended - previous : longest;
            previous = ended;
        }

        return longest;
    }
}
