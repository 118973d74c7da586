using System.Diagnostics;
using Premix.Execution;
using Premix.Providers;

namespace Premix.Replicas;

/// <summary>
/// One read replica as the router knows it: its provider and executor (whose spans name the replica's address), the
/// position it was last seen to have replayed and when, when its lag was last found within bound, and until when it is
/// skipped. Shared by all threads: each field is written whole, and a stale value only makes a read check again or go to
/// the primary.
/// </summary>
internal sealed class ReplicaServer(IDatabaseProvider provider, SqlExecutor executor)
{
    private ReadYourWritesToken? _replayed; // the highest position seen replayed since it was last skipped
    private long _replayedSeenAt; // 0: never seen
    private long _lagOkAt; // 0: never checked (or not since it was skipped)
    private long _skippedUntil; // 0: not skipped

    public IDatabaseProvider Provider => provider;

    public SqlExecutor Executor => executor;

    /// <summary>Host and port, for logs and exceptions.</summary>
    public string Address { get; } = provider.Target.ServerPort is { } port ? $"{provider.Target.ServerAddress}:{port}" : provider.Target.ServerAddress ?? "(unknown)";

    /// <summary>Why it is skipped, while it is.</summary>
    public string SkipReason { get; private set; } = string.Empty;

    /// <summary>
    /// Whether reads pass it over. When a skip runs out, one caller (the one that moves the skip on by <paramref name="interval"/>)
    /// gets to probe it; the others keep passing it over until that probe clears the skip (<see cref="Recovered"/>).
    /// </summary>
    public bool IsSkipped(long now, long interval)
    {
        var until = Interlocked.Read(ref _skippedUntil);
        return until != 0 && (until > now || Interlocked.CompareExchange(ref _skippedUntil, now + interval, until) != until);
    }

    /// <summary>Whether it was seen, less than <paramref name="interval"/> ago, to have replayed <paramref name="position"/>: a standby rebuilt or restored since may be behind what was seen, so the cache is trusted only that long.</summary>
    public bool SeenToCover(ReadYourWritesToken position, long now, long interval) =>
        Volatile.Read(ref _replayed) is { } replayed && position.IsCoveredBy(replayed) && Recent(Interlocked.Read(ref _replayedSeenAt), now, interval);

    /// <summary>Whether its lag was found within bound less than <paramref name="interval"/> ago.</summary>
    public bool LagIsFresh(long now, long interval) => Recent(Interlocked.Read(ref _lagOkAt), now, interval);

    /// <summary>Records the position a check found replayed (only ever raised until the next skip) and when.</summary>
    public void SawReplayed(ReadYourWritesToken replayed, long now)
    {
        ReadYourWritesToken? seen, later;
        while ((later = ReadYourWritesToken.Later(seen = Volatile.Read(ref _replayed), replayed)) != seen && Interlocked.CompareExchange(ref _replayed, later, seen) != seen)
        {
        }

        Interlocked.Exchange(ref _replayedSeenAt, now);
    }

    /// <summary>Records that a check found its lag within bound.</summary>
    public void LagOk(long now) => Interlocked.Exchange(ref _lagOkAt, now);

    /// <summary>Clears a skip once a probe found it serving again.</summary>
    public void Recovered()
    {
        if (Interlocked.Read(ref _skippedUntil) != 0)
        {
            Interlocked.Exchange(ref _skippedUntil, 0);
        }
    }

    /// <summary>
    /// Skips it for a random duration between <paramref name="interval"/> and twice that, and forgets what was seen of
    /// it: the server that answers next may be a restarted or rebuilt one.
    /// </summary>
    public void Skip(string reason, long interval)
    {
        SkipReason = reason;
        Interlocked.Exchange(ref _lagOkAt, 0);
        Interlocked.Exchange(ref _replayedSeenAt, 0);
        Interlocked.Exchange(ref _replayed, null);
        Interlocked.Exchange(ref _skippedUntil, Stopwatch.GetTimestamp() + interval + (long)(Random.Shared.NextDouble() * interval));
    }

    // A timestamp of 0 means never; a time from the future (it cannot be) counts as not recent.
    private static bool Recent(long at, long now, long interval) => at != 0 && now - at >= 0 && now - at < interval;
}
