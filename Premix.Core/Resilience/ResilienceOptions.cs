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

    /// <summary>The longest wait between two attempts. Default 2 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(2);

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

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries, nameof(MaxRetries));
        ArgumentOutOfRangeException.ThrowIfLessThan(BaseDelay, TimeSpan.Zero, nameof(BaseDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, BaseDelay, nameof(MaxDelay));
    }
}
