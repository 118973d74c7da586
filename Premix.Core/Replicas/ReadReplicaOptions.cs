namespace Premix;

/// <summary>How reads are sent to read replicas (<c>WithReadReplicas</c>): how long a read may wait for a replica to catch up, how much lag is tolerated, how long a replica may take to answer, and how soon a skipped replica is tried again.</summary>
public sealed class ReadReplicaOptions
{
    /// <summary>
    /// How long a read that must see a commit (it carries a <see cref="ReadYourWritesToken"/>) may wait for a replica to
    /// replay it before it goes to the primary. Zero (the default) goes to the primary at once; a few milliseconds keep
    /// more reads off the primary at the cost of that much latency. At most 5 seconds.
    /// </summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How far behind a replica may be, for reads without a token, before it is skipped: the time since the last
    /// transaction it replayed, counted only while it has received WAL it has not replayed yet (an idle primary is not
    /// lag). 30 seconds by default.
    /// </summary>
    public TimeSpan MaxLag { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a replica that was down, refused a connection or lagged is skipped before it is tried again (each time a
    /// random duration between this and twice this, so instances do not all come back at once). 5 seconds by default;
    /// its lag is checked again as often.
    /// </summary>
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a replica may take to give a connection (its connect timeout, the wait for a free pooled connection
    /// included) and to answer the status query that checks its position and lag, before the read goes to another replica
    /// or the primary and the replica is skipped for <see cref="RecheckInterval"/>, with a warning naming why. A replica
    /// that accepts connections but never answers then costs a read this long, not the driver's 15-second default.
    /// 2 seconds by default; between 1 and 60, counted in whole seconds (the drivers' timeouts are; a fraction rounds up).
    /// A connect timeout named in the replica's connection string (<c>Timeout</c>, <c>Connection Timeout</c>) is kept, and a
    /// shorter one set for the pools (<c>ConfigureConnectionPool</c>) stays: this bounds the wait, it never lengthens it.
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary><see cref="ProbeTimeout"/> in whole seconds, as the drivers take it.</summary>
    internal int ProbeTimeoutSeconds => (int)Math.Ceiling(ProbeTimeout.TotalSeconds);

    internal void Validate()
    {
        var problems = new List<string>();
        if (MaxWait < TimeSpan.Zero || MaxWait > TimeSpan.FromSeconds(5))
        {
            problems.Add($"MaxWait must be between 0 and 5 seconds (a read waits that long at most before going to the primary); it was {MaxWait}.");
        }

        if (MaxLag <= TimeSpan.Zero)
        {
            problems.Add($"MaxLag must be positive; it was {MaxLag}.");
        }

        if (ProbeTimeout <= TimeSpan.Zero || ProbeTimeout > TimeSpan.FromSeconds(60))
        {
            problems.Add($"ProbeTimeout must be more than 0 and at most 60 seconds (a replica that does not answer costs a read that long); it was {ProbeTimeout}.");
        }

        if (RecheckInterval <= TimeSpan.Zero)
        {
            problems.Add($"RecheckInterval must be positive; it was {RecheckInterval}.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid read replica options: " + string.Join(" ", problems));
        }
    }
}
