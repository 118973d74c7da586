namespace Premix.Migrations;

/// <summary>How an operation across all tenants runs (<c>SyncAllTenantsAsync</c>, <c>MigrateAllTenantsAsync</c>).</summary>
public sealed class TenantRunOptions
{
    private int _maxConcurrency = 4;

    /// <summary>
    /// How many tenants are worked on at once; 4 by default, and never more than <c>TenancyOptions.MaxOpenDatabases</c>
    /// (each run holds its tenant open, with a connection and its lock, while it runs).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below 1.</exception>
    public int MaxConcurrency
    {
        get => _maxConcurrency;
        set => _maxConcurrency = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxConcurrency is how many tenants are worked on at once, so it must be 1 or more.");
    }

    /// <summary>The tenants to work on; every tenant <c>ListTenantsWith</c> names when <see langword="null"/>.</summary>
    public IReadOnlyList<string>? Tenants { get; set; }

    /// <summary>Called as each tenant finishes, with its outcome (for progress output).</summary>
    public Action<TenantOutcome>? Progress { get; set; }
}
