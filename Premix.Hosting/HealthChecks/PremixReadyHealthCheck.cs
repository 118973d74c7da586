using Microsoft.Extensions.Diagnostics.HealthChecks;
using Premix.Migrations;

namespace Premix;

/// <summary>
/// Readiness of one database (with <c>UseTenants</c>, of each tenant <c>ListTenantsWith</c> names): its schema matches the model (the schema diff of Premix.Migrations finds nothing to do), and,
/// when the application ships versioned migrations, none is pending (Degraded) or failed (Unhealthy).
/// </summary>
/// <remarks>
/// A schema that differs reports the registration's failure status (Unhealthy by default) even when a pending migration
/// would fix it: the application would fail on it. Pending migrations over a matching schema only report Degraded, so
/// they take no instance out of service.
/// </remarks>
internal sealed class PremixReadyHealthCheck(IServiceProvider services, PremixDatabaseEntry database, (MigrationSource Source, MigrationOptions? Options)? migrations) : IHealthCheck
{
    private const int Listed = 5;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var premix = database.Resolve(services);
            var data = new Dictionary<string, object> { ["schemaDifferences"] = 0 };
            var findings = new List<string>();
            var status = HealthStatus.Healthy;
            string checkedWhere;
            if (premix is PremixDatabase { Tenants: { } tenants } root)
            {
                // With UseTenants the configured database holds no tenant's tables: each listed tenant's database or schema is checked.
                var ids = tenants.Options.ListTenants is { } list
                    ? await list(cancellationToken).ConfigureAwait(false)
                    : throw new InvalidOperationException("Premix serves tenants (UseTenants) and does not know them, so readiness cannot be checked: name them with ListTenantsWith(...).");
                foreach (var id in ids)
                {
                    await using var tenant = root.ForTenant(id);
                    status = Worst(status, await CheckAsync(tenant, $"tenant {id}: ", context, data, findings, cancellationToken).ConfigureAwait(false));
                }

                checkedWhere = $"{ids.Count} tenant(s) ({List(ids.Select(id => $"tenant {id}"))})";
            }
            else
            {
                status = await CheckAsync(premix, string.Empty, context, data, findings, cancellationToken).ConfigureAwait(false);
                checkedWhere = string.Empty;
            }

            var description = findings.Count == 0
                ? $"The schema of {database.Describe()} matches the model{(checkedWhere.Length == 0 ? string.Empty : " in " + checkedWhere)}."
                : $"{database.Describe()}: {string.Join("; ", findings)}.";
            return new HealthCheckResult(status, description, data: data);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The schema of {database.Describe()} could not be checked: {error.Message}", error);
        }
    }

    // One database (or one tenant's): the schema against the model, then the shipped migrations' history. Counts add up over tenants.
    private async Task<HealthStatus> CheckAsync(IPremix premix, string where, HealthCheckContext context, Dictionary<string, object> data, List<string> findings, CancellationToken cancellationToken)
    {
        var status = HealthStatus.Healthy;
        var diff = await premix.DiffAsync(null, cancellationToken).ConfigureAwait(false);
        data["schemaDifferences"] = (int)data["schemaDifferences"] + diff.Operations.Count;
        if (!diff.IsEmpty)
        {
            status = context.Registration.FailureStatus;
            findings.Add($"{where}the schema differs from the model ({List(diff.Operations.Select(o => o.Description))})");
        }

        if (migrations is { } shipped)
        {
            var states = await premix.MigrationStatusAsync(shipped.Source, shipped.Options, cancellationToken).ConfigureAwait(false);
            var pending = states.Where(s => s.Status == MigrationStatus.Pending).ToList();
            var broken = states.Where(s => s.Status is MigrationStatus.Failed or MigrationStatus.ChecksumChanged).ToList();
            data["pendingMigrations"] = (data.TryGetValue("pendingMigrations", out var before) ? (int)before : 0) + pending.Count;
            if (broken.Count > 0)
            {
                status = context.Registration.FailureStatus;
                findings.Add($"{where}{broken.Count} migration(s) failed or changed since applied ({List(broken.Select(s => $"{s.Version}_{s.Name}: {s.Status}"))}); see docs/migrations.md");
            }

            if (pending.Count > 0)
            {
                status = status == HealthStatus.Healthy ? HealthStatus.Degraded : status;
                findings.Add($"{where}{pending.Count} migration(s) pending ({List(pending.Select(s => $"{s.Version}_{s.Name}"))}); run premix migrate or MigrateAsync");
            }
        }

        return status;
    }

    // HealthStatus orders Unhealthy < Degraded < Healthy.
    private static HealthStatus Worst(HealthStatus a, HealthStatus b) => a < b ? a : b;

    private static string List(IEnumerable<string> items)
    {
        var all = items.ToList();
        return all.Count <= Listed ? string.Join(", ", all) : string.Join(", ", all.Take(Listed)) + $" and {all.Count - Listed} more";
    }
}
