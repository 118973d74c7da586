using System.Diagnostics;
using Premix.Execution;
using Premix.Providers;

namespace Premix.Replicas;

/// <summary>
/// One read replica as the router knows it: its provider and executor (whose spans name the replica's address), the
/// position it was last seen to have replayed, its lag, and until when it is skipped. Shared by all threads: each field
/// is written whole, and a stale value only makes a read check again or go to the primary.
/// </summary>
internal sealed class ReplicaServer(IDatabaseProvider provider, SqlExecutor executor)
{
    private long _replayed; // the highest position seen replayed: a replica only moves forward
    private long _statusCheckedAt = long.MinValue;
    private long _skippedUntil = long.MinValue;

    public IDatabaseProvider Provider => provider;

    public SqlExecutor Executor => executor;

    /// <summary>Host and port, for logs and exceptions.</summary>
    public string Address { get; } = provider.Target.ServerPort is { } port ? $"{provider.Target.ServerAddress}:{port}" : provider.Target.ServerAddress ?? "(unknown)";

    /// <summary>Why it is skipped, while it is.</summary>
    public string SkipReason { get; private set; } = string.Empty;

    public ulong Replayed => (ulong)Interlocked.Read(ref _replayed);

    public bool IsSkipped(long now) => Interlocked.Read(ref _skippedUntil) > now;

    /// <summary>Whether its lag was checked within <paramref name="interval"/> (and found acceptable, or it would be skipped).</summary>
    public bool StatusIsFresh(long now, long interval) => now - Interlocked.Read(ref _statusCheckedAt) < interval;

    /// <summary>Records a check's answer: the position replayed (only ever raised) and when.</summary>
    public void Checked(ulong replayed, long now)
    {
        long seen;
        while ((ulong)(seen = Interlocked.Read(ref _replayed)) < replayed && Interlocked.CompareExchange(ref _replayed, (long)replayed, seen) != seen)
        {
        }

        Interlocked.Exchange(ref _statusCheckedAt, now);
    }

    /// <summary>Skips it for a random duration between <paramref name="interval"/> and twice that.</summary>
    public void Skip(string reason, long interval)
    {
        SkipReason = reason;
        Interlocked.Exchange(ref _skippedUntil, Stopwatch.GetTimestamp() + interval + (long)(Random.Shared.NextDouble() * interval));
    }
}
