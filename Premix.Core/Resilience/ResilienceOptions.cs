namespace Premix;

/// <summary>
/// How Premix retries what the engine reports as transient (<see cref="Providers.DatabaseErrorKind"/>): reads, and a
/// unit of work's commit as a whole, with exponential backoff and jitter. Set with
/// <see cref="PremixOptionsBuilder.ConfigureResilience"/>.
/// </summary>
public sealed class ResilienceOptions
{
    /// <summary>Whether anything is retried. Default <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Retries after the first attempt (so at most this plus one attempts; 0 retries nothing). Default 6: with the default
    /// delays the retries span about 2.3 to 4.6 s in all, longer than a failover that promotes a standby within a second or
    /// two takes (docs/resilience.md, "Failover").
    /// </summary>
    public int MaxRetries { get; set; } = 6;

    /// <summary>The median wait before the first retry; later waits grow exponentially, with jitter (Polly's exponential backoff). Default 100 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between two attempts, at most one day (refused over that even with retries off). Default 2 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a read or a commit keeps trying, from its first failure, while a server this <see cref="IPremix"/> has
    /// reached before takes no connection: refused, unreachable or silent until the connect timeout (a restart, a failover,
    /// a moved address, a pooler without a server), starting up or shutting down. Nothing is sent on a connection that does
    /// not open, so trying again is safe, and a restart or a
    /// failover takes seconds, more than <see cref="MaxRetries"/> quick retries cover. These retries do not count against
    /// <see cref="MaxRetries"/>; they wait as the others do, growing up to <see cref="MaxDelay"/>, and at least 100 ms
    /// apart. A server not reached yet (a wrong host or port, a server that is not up) and a server at its connection
    /// limit get <see cref="MaxRetries"/> only, and a connect timeout to a server not reached yet is not retried. <see cref="TimeSpan.Zero"/> counts these retries as any other, and so does
    /// <see cref="MaxRetries"/> 0, which retries nothing. Default 15 s.
    /// </summary>
    /// <remarks>
    /// This bounds when the last retry is scheduled: it starts up to one wait later. A connect that timed out is tried
    /// again only while one more connect timeout still ends inside the window, so such a call waits at most its first
    /// connect timeout, the window and one wait; with the defaults (a 15 s connect timeout, a 15 s window) a timed-out
    /// connect is not tried again, so a setup that wants it retried gives the driver a shorter connect timeout. A commit whose COMMIT was in flight
    /// can wait a second window, in its <c>VerifyCommitWith</c> check and in the commit that runs again, and the
    /// synchronous API blocks its thread all that time (docs/resilience.md, "How long a call waits").
    /// </remarks>
    public TimeSpan MaxUnavailableTime { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Whether reads are retried (by key, queries, includes, raw fetches). A read inside a unit of work whose transaction
    /// has begun (after a raw write) is never retried: a new connection would not see that transaction. Default
    /// <see langword="true"/>.
    /// </summary>
    public bool RetryReads { get; set; } = true;

    /// <summary>
    /// Whether a failed commit is run again from the tracked objects (before-hooks run again too). A unit of work that
    /// ran raw writes in its transaction is not replayed, since those statements would be lost. Default
    /// <see langword="true"/>.
    /// </summary>
    public bool RetryCommits { get; set; } = true;

    // The longest delay Polly's retry takes (RetryStrategyOptions.Delay and MaxDelay); the configuration binder checks it too.
    internal static readonly TimeSpan MaxRetryDelay = TimeSpan.FromDays(1);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries, nameof(MaxRetries));
        // Compared here rather than with ArgumentOutOfRangeException.ThrowIfLessThan<TimeSpan>: that is CoreLib's generic code
        // over a value type, which ReadyToRun cannot precompile into Premix's image, so every start JIT-compiled it.
        ThrowIfLessThan(BaseDelay, TimeSpan.Zero, nameof(BaseDelay));
        ThrowIfLessThan(MaxDelay, BaseDelay, nameof(MaxDelay));
        // Polly's bound on a retry's delay, checked here: its pipeline is built on the first retry, too late to refuse it.
        ThrowIfGreaterThan(MaxDelay, MaxRetryDelay, nameof(MaxDelay));
        ThrowIfLessThan(MaxUnavailableTime, TimeSpan.Zero, nameof(MaxUnavailableTime));
    }

    // The message ArgumentOutOfRangeException.ThrowIfLessThan writes.
    private static void ThrowIfLessThan(TimeSpan value, TimeSpan other, string paramName)
    {
        if (value < other)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} ('{value}') must be greater than or equal to '{other}'.");
        }
    }

    // The message ArgumentOutOfRangeException.ThrowIfGreaterThan writes.
    private static void ThrowIfGreaterThan(TimeSpan value, TimeSpan other, string paramName)
    {
        if (value > other)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} ('{value}') must be less than or equal to '{other}'.");
        }
    }
}
