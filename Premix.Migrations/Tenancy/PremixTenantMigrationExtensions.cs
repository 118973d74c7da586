using Premix.Tenancy;

namespace Premix.Migrations;

/// <summary>
/// Schema sync and versioned migrations across every tenant (<c>UseTenants</c>): each tenant's database or schema gets its
/// own run, with its own lock and history table, a bounded number at once; one tenant's failure does not stop the others
/// and is reported (docs/multi-tenancy.md).
/// </summary>
public static class PremixTenantMigrationExtensions
{
    /// <summary>
    /// Brings every tenant's schema in line with the model, as <see cref="PremixSchemaExtensions.SyncAsync"/> does for one
    /// database. With a schema per tenant (or a database per tenant on MySQL/MariaDB, where a schema is a database on the
    /// server), the tables mapped to a schema of their own, which every tenant shares, are synced first, once, on the
    /// configured database; the tenants' runs leave them out.
    /// </summary>
    /// <exception cref="InvalidOperationException">Premix is not configured for tenants, or no tenant list is configured (<c>ListTenantsWith</c>) nor given.</exception>
    /// <exception cref="DestructiveSchemaChangeException">A change to a shared table can lose data and was not allowed; no tenant was run.</exception>
    /// <exception cref="SchemaChangeException">The database refused a statement on a shared table; no tenant was run.</exception>
    public static async Task<TenantRunReport> SyncAllTenantsAsync(this IPremix premix, SyncOptions? options = null, TenantRunOptions? run = null, CancellationToken cancellationToken = default)
    {
        if (premix is PremixDatabase { Tenants.SharesNamedSchemas: true } root)
        {
            await PremixSchemaExtensions.SharedTablesAsync(root, apply: true, options, cancellationToken).ConfigureAwait(false);
        }

        return await RunAsync(premix, run, async (tenant, token) => (await tenant.SyncAsync(options, token).ConfigureAwait(false)).Operations.Count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies the pending migrations of <paramref name="folder"/> to every tenant, as <see cref="VersionedMigrationExtensions.MigrateAsync"/> does for one database.</summary>
    /// <exception cref="InvalidOperationException">Premix is not configured for tenants, or no tenant list is configured (<c>ListTenantsWith</c>) nor given.</exception>
    public static Task<TenantRunReport> MigrateAllTenantsAsync(this IPremix premix, MigrationSource folder, long? to = null, MigrationOptions? options = null, TenantRunOptions? run = null, CancellationToken cancellationToken = default) =>
        RunAsync(premix, run, async (tenant, token) => (await tenant.MigrateAsync(folder, to, options, token).ConfigureAwait(false)).Count, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> on one tenant's view of <paramref name="premix"/> per tenant, at most
    /// <see cref="TenantRunOptions.MaxConcurrency"/> and <see cref="TenancyOptions.MaxOpenDatabases"/> at once. A tenant
    /// schema that does not exist yet is created first.
    /// </summary>
    internal static async Task<TenantRunReport> RunAsync(IPremix premix, TenantRunOptions? run, Func<IPremix, CancellationToken, Task<int>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(premix);
        var database = premix as PremixDatabase;
        var tenants = database?.Tenants ?? throw new InvalidOperationException("This Premix serves one database: sync and migrations across tenants need UseTenants(...) in its configuration.");
        run ??= new TenantRunOptions();
        var list = run.Tenants ?? (tenants.Options.ListTenants is { } listTenants
            ? await listTenants(cancellationToken).ConfigureAwait(false)
            : throw new InvalidOperationException("Premix does not know the tenants: name them with ListTenantsWith(...) in UseTenants, or pass TenantRunOptions.Tenants."));
        var outcomes = new TenantOutcome[list.Count];
        // Each run holds its tenant open: more at once than MaxOpenDatabases would fail the extra ones at the bound.
        using var slots = new SemaphoreSlim(Math.Min(run.MaxConcurrency, tenants.Options.MaxOpenDatabases));
        var runs = new Task[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            var index = i;
            runs[i] = Task.Run(
                async () =>
                {
                    try
                    {
                        outcomes[index] = await RunOneAsync(database, list[index], work, cancellationToken).ConfigureAwait(false);
                        run.Progress?.Invoke(outcomes[index]);
                    }
                    finally
                    {
                        slots.Release();
                    }
                },
                CancellationToken.None);
        }

        await Task.WhenAll(runs).ConfigureAwait(false);
        return new TenantRunReport(outcomes);
    }

    private static async Task<TenantOutcome> RunOneAsync(PremixDatabase root, string tenantId, Func<IPremix, CancellationToken, Task<int>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var tenant = root.ForTenant(tenantId);
            await CreateSchemaAsync(root, tenant, cancellationToken).ConfigureAwait(false);
            return new TenantOutcome(tenantId, null, await work(tenant, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new TenantOutcome(tenantId, e, 0);
        }
    }

    // Schema per tenant: the schema (a database on MySQL) is created on the configured database, whose executor logs it.
    private static async Task CreateSchemaAsync(PremixDatabase root, PremixDatabase tenant, CancellationToken cancellationToken)
    {
        var sql = root.Tenants!.Options.Strategy == TenantStrategy.Schema ? tenant.CreateSchemaSql : string.Empty;
        if (sql.Length == 0)
        {
            return;
        }

        await using var connection = root.Provider.CreateConnection();
        await Execution.ConnectionOpener.OpenAsync(true, connection, root.Provider, cancellationToken).ConfigureAwait(false);
        await root.Executor.ExecuteAsync(connection, null, "CreateTenantSchema", sql, null, cancellationToken).ConfigureAwait(false);
    }
}
