using Premix.Execution;
using Premix.Providers;

namespace Premix.Tenancy;

/// <summary>
/// One open tenant: the provider its connections come from (its own database's, or the shared one with a schema prefix),
/// and the executor and standalone session that run its statements with the shared plans. Counted while in use (a unit
/// of work holds it for its lifetime, a raw statement for its run), so it is never closed under a running statement.
/// </summary>
internal sealed class TenantEntry(string tenantId, IDatabaseProvider provider, IDatabaseProvider? ownedProvider, SqlExecutor executor, string createSchemaSql, string? server)
{
    public string TenantId => tenantId;

    /// <summary>
    /// The server the tenant's connections go to: its own database's hosts and port (<see cref="ServerAddress"/>, a database
    /// per tenant), empty for the configured one, null when its connection string could not be read for them.
    /// </summary>
    public string? Server => server;

    /// <summary>Where the tenant's connections come from.</summary>
    public IDatabaseProvider Provider => provider;

    public SqlExecutor Executor => executor;

    /// <summary>Whether the tenant has a pool of its own (a database per tenant, a MySQL schema), which <see cref="TenancyOptions.MaxOpenDatabases"/> bounds.</summary>
    public bool OwnsPool => ownedProvider is not null;

    public StandaloneSession Standalone { get; } = new(provider, executor);

    /// <summary>The statement that creates the tenant's schema, run on the configured database (schema per tenant); empty otherwise.</summary>
    public string CreateSchemaSql => createSchemaSql;

    /// <summary>Units of work and statements using the tenant now (guarded by the cache's lock).</summary>
    public int Leases { get; set; }

    /// <summary><see cref="Environment.TickCount64"/> when it was last taken or given back (guarded by the cache's lock).</summary>
    public long LastUsed { get; set; }

    /// <summary>Closes the tenant's own pool, if it has one; the shared one stays.</summary>
    /// <remarks>Synchronous: it runs where a unit of work is created, which is synchronous (a DI factory).</remarks>
    public void Close()
    {
        Standalone.Close();
        switch (ownedProvider)
        {
            case IDisposable disposable:
                disposable.Dispose();
                break;
            case IAsyncDisposable disposable:
                disposable.DisposeAsync().AsTask().GetAwaiter().GetResult();
                break;
        }
    }
}
