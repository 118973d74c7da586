namespace Premix.Migrations;

/// <summary>The outcome of an operation across all tenants: one entry per tenant, in the order they were listed.</summary>
public sealed class TenantRunReport(IReadOnlyList<TenantOutcome> outcomes)
{
    /// <summary>Every tenant's outcome.</summary>
    public IReadOnlyList<TenantOutcome> Outcomes => outcomes;

    /// <summary>The tenants that failed, with why.</summary>
    public IReadOnlyList<TenantOutcome> Failed { get; } = [.. outcomes.Where(o => !o.Succeeded)];

    /// <summary>Whether every tenant succeeded.</summary>
    public bool Succeeded => Failed.Count == 0;

    /// <summary>Throws when any tenant failed, naming each with its error.</summary>
    /// <exception cref="AggregateException">One or more tenants failed; its inner exceptions are their errors.</exception>
    public void ThrowIfFailed()
    {
        if (!Succeeded)
        {
            throw new AggregateException(
                $"{Failed.Count} of {outcomes.Count} tenants failed: {string.Join("; ", Failed.Select(f => $"{f.TenantId}: {f.Error!.Message}"))}",
                Failed.Select(f => f.Error!));
        }
    }
}
