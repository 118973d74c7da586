using Microsoft.Extensions.Diagnostics.HealthChecks;
using Premix.Migrations;

namespace Premix;

/// <summary>
/// Readiness of one database: its schema matches the model (the schema diff of Premix.Migrations finds nothing to do), and,
/// when the application ships versioned migrations, none is pending (Degraded) or failed (Unhealthy). With neither
/// (<c>CheckSchema</c> off, no <c>CheckMigrations</c>) the database must still answer, as for liveness.
/// </summary>
/// <remarks>
/// <para>
/// A schema that differs reports the registration's failure status (Unhealthy by default) even when a pending migration
/// would fix it: the application would fail on it. Pending migrations over a matching schema only report Degraded, so
/// they take no instance out of service.
/// </para>
/// <para>
/// With <c>UseTenants</c> the configured database holds no tenant's tables, so the check looks at the tenants open now (the
/// ones serving traffic), at most <see cref="Probed"/>, most recently used first. It opens none, evicts none and leaves
/// their LRU order, so a probe costs at most that many diffs and cannot fail on <c>MaxOpenDatabases</c>. One tenant that is
/// not ready (down, or its schema differs) reports Degraded: an instance serves its other tenants, and taking it out of
/// service would not help that one. Only when every probed tenant is not ready does it report the failure status. No tenant
/// open yet (a fresh instance) is Healthy. The output counts tenants and never names one, nor carries an exception's text
/// (a driver's names host and database); the exception itself is in the result for the logs.
/// </para>
/// </remarks>
internal sealed class PremixReadyHealthCheck(IServiceProvider services, PremixDatabaseEntry database, MigrationCheck? migrations, bool checkSchema) : IHealthCheck
{
    private const int Listed = 5;

    /// <summary>How many open tenants one readiness probe checks at most.</summary>
    internal const int Probed = 3;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var premix = database.Resolve(services);
            if (premix is PremixDatabase { ServesTenants: true } root)
            {
                return await CheckTenantsAsync(root, context, cancellationToken).ConfigureAwait(false);
            }

            var data = new Dictionary<string, object> { ["schemaDifferences"] = 0 };
            var findings = new List<string>();
            var status = await CheckAsync(premix, string.Empty, context, data, findings, cancellationToken).ConfigureAwait(false);
            var description = findings.Count == 0
                ? checkSchema ? $"The schema of {database.Describe()} matches the model." : $"{database.Describe()} is ready (its schema is not compared: CheckSchema is off)."
                : $"{database.Describe()}: {string.Join("; ", findings)}.";
            return new HealthCheckResult(status, description, data: data);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The readiness of {database.Describe()} could not be checked ({error.GetType().Name}; the exception has the details).", error);
        }
    }

    // The open tenants, each on its own: one that throws or differs is counted, never lets its message or its id out.
    private async Task<HealthCheckResult> CheckTenantsAsync(PremixDatabase root, HealthCheckContext context, CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, object> { ["schemaDifferences"] = 0 };
        var findings = new List<string>();
        // Schema per tenant (and database per tenant where a schema is a database on the server): the tables of a schema of
        // their own are every tenant's, reached through the configured database, and no tenant's diff looks at them: compared once here.
        var shared = checkSchema && root.Tenants!.SharesNamedSchemas
            ? await PremixSchemaExtensions.SharedTablesAsync(root, apply: false, null, cancellationToken).ConfigureAwait(false)
            : null;
        if (shared is { IsEmpty: false })
        {
            data["schemaDifferences"] = shared.Operations.Count;
            findings.Add($"the shared tables differ from the model ({List(shared.Operations.Select(o => o.Description))})");
        }

        var views = root.ForOpenTenants(Probed);
        var notReady = 0;
        var degraded = false;
        Exception? firstError = null;
        try
        {
            foreach (var view in views)
            {
                try
                {
                    var status = await CheckAsync(view, "a tenant: ", context, data, findings, cancellationToken).ConfigureAwait(false);
                    notReady += status < HealthStatus.Degraded ? 1 : 0; // HealthStatus orders Unhealthy < Degraded < Healthy
                    degraded |= status == HealthStatus.Degraded;
                }
                catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    notReady++;
                    firstError ??= error;
                    findings.Add($"a tenant could not be checked ({error.GetType().Name})");
                }
            }
        }
        finally
        {
            foreach (var view in views)
            {
                await view.DisposeAsync().ConfigureAwait(false);
            }
        }

        data["tenantsChecked"] = views.Count;
        data["tenantsNotReady"] = notReady;
        if (shared is { IsEmpty: false })
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{database.Describe()}: {string.Join("; ", findings)}.", firstError, data);
        }

        if (views.Count == 0)
        {
            return new HealthCheckResult(HealthStatus.Healthy, $"{database.Describe()} serves tenants and none is open yet: nothing to check.", data: data);
        }

        var overall = notReady == views.Count ? context.Registration.FailureStatus
            : notReady > 0 || degraded ? HealthStatus.Degraded
            : HealthStatus.Healthy;
        var description = findings.Count == 0
            ? checkSchema ? $"The schema of {database.Describe()} matches the model in the {views.Count} open tenant(s) checked." : $"{database.Describe()} is ready in the {views.Count} open tenant(s) checked (schemas not compared: CheckSchema is off)."
            : $"{database.Describe()}, {notReady} of {views.Count} open tenant(s) checked not ready: {string.Join("; ", findings)}.";
        return new HealthCheckResult(overall, description, firstError, data);
    }

    // One database (or one tenant's): the schema against the model, then the shipped migrations' history. Counts add up over tenants.
    private async Task<HealthStatus> CheckAsync(IPremix premix, string where, HealthCheckContext context, Dictionary<string, object> data, List<string> findings, CancellationToken cancellationToken)
    {
        var status = HealthStatus.Healthy;
        if (checkSchema)
        {
            var diff = await premix.DiffAsync(null, cancellationToken).ConfigureAwait(false);
            data["schemaDifferences"] = (int)data["schemaDifferences"] + diff.Operations.Count;
            if (!diff.IsEmpty)
            {
                status = context.Registration.FailureStatus;
                findings.Add($"{where}the schema differs from the model ({List(diff.Operations.Select(o => o.Description))})");
            }
        }
        else if (migrations is null)
        {
            // Nothing to compare or read: readiness still needs the database to answer, or a down one would be "ready".
            await DatabaseProbe.AnswerAsync(premix, cancellationToken).ConfigureAwait(false);
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

    private static string List(IEnumerable<string> items)
    {
        var all = items.ToList();
        return all.Count <= Listed ? string.Join(", ", all) : string.Join(", ", all.Take(Listed)) + $" and {all.Count - Listed} more";
    }
}
