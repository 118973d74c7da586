using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Premix.Execution;
using Premix.Providers;

namespace Premix.Tenancy;

/// <summary>
/// The tenants open now, by identifier: each with its executor (one compiled model and one plan cache for all), and for a
/// database per tenant its own driver pool. At most <see cref="TenancyOptions.MaxOpenDatabases"/> stay open: a tenant
/// unused for <see cref="TenancyOptions.IdleTimeout"/> is closed when another opens, and at the bound the least recently
/// used one nobody uses makes room; when all are in use, opening one more fails (a fixed cap on pools and connections).
/// </summary>
internal sealed partial class TenantDatabases(PremixRuntime runtime, TenancyOptions options, ILogger logger, Func<IDatabaseProvider, string?, string?, SqlExecutor> executorFor) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TenantEntry> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Lazy<TenantEntry>> _opening = new(StringComparer.Ordinal); // being opened, outside the lock
    private readonly HashSet<string> _reachedBefore = new(StringComparer.Ordinal); // TenantEntry.Server of tenants that had opened a connection when they were closed: one per server

    // TenantEntry.Server of the tenants on the configured server (the column and schema strategies).
    private const string ConfiguredServer = "";
    private bool _disposed; // an open that finishes after Dispose closes what it opened rather than publish it

    // The tables mapped to a schema of their own, named for messages: "schema.table".
    private readonly string[] _sharedTables = [.. runtime.Model.Entities.Where(e => e.Schema is not null).Select(e => $"{e.Schema}.{e.Table}").Distinct(StringComparer.Ordinal)];

    // Tables mapped to a schema of their own are every tenant's: under a schema per tenant, and under a database per tenant where a schema is a database on the server.
    private readonly bool _namedSchemasShared = options.Strategy == TenantStrategy.Schema || (options.Strategy == TenantStrategy.Database && SchemasAreServerDatabases(runtime.Provider));

    public TenancyOptions Options => options;

    /// <summary>
    /// Whether the model has tables mapped to a schema of their own (<c>ToTable(name, schema)</c>) that are every tenant's,
    /// synced and checked once on the configured database and left out of each tenant's sync: under a schema per tenant,
    /// and under a database per tenant where a schema is a database on the server (MySQL, MariaDB), so that every tenant
    /// database on that server reaches the one table its plans name. Without such tables nothing is run on the configured
    /// database (with a database per tenant it may not even exist).
    /// </summary>
    public bool SharesNamedSchemas => _sharedTables.Length > 0 && _namedSchemasShared;

    /// <summary>How many tenants are open now.</summary>
    public int OpenCount
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>How many servers are remembered as reached before (one per server, whatever the tenants and their connection strings).</summary>
    internal int ServersReachedBefore
    {
        get
        {
            lock (_gate)
            {
                return _reachedBefore.Count;
            }
        }
    }

    /// <summary>Takes <paramref name="tenantId"/>'s entry, opening it if needed; give it back with <see cref="Release"/>.</summary>
    /// <exception cref="UnknownTenantException">The identifier is not of <see cref="TenancyOptions.TenantIdFormat"/>, the tenant has no connection string, or its schema name is not one.</exception>
    /// <exception cref="InvalidOperationException">Every open tenant database is in use and the bound is reached.</exception>
    public TenantEntry Lease(string tenantId)
    {
        options.CheckTenantId(tenantId);
        while (true)
        {
            Lazy<TenantEntry> opening;
            lock (_gate)
            {
                if (_open.TryGetValue(tenantId, out var open))
                {
                    return Take(open);
                }

                if (!_opening.TryGetValue(tenantId, out opening!))
                {
                    opening = new Lazy<TenantEntry>(() => Open(tenantId), LazyThreadSafetyMode.ExecutionAndPublication);
                    _opening.Add(tenantId, opening);
                }
            }

            // Opened outside the lock: a slow connection-string callback holds up its own tenant only (who waits on this Lazy).
            TenantEntry entry;
            try
            {
                entry = opening.Value;
            }
            catch
            {
                lock (_gate)
                {
                    Forget(tenantId, opening); // the next lease tries again rather than repeat the cached failure forever
                }

                throw;
            }

            if (TryPublish(tenantId, opening, entry) is { } published)
            {
                return published;
            }

            // Published by another lease and closed again before this one came back: open the tenant anew.
        }
    }

    // The first lease back from opening the tenant adds it (making room at the bound); the others take what it added.
    private TenantEntry? TryPublish(string tenantId, Lazy<TenantEntry> opening, TenantEntry entry)
    {
        List<TenantEntry>? closing = null;
        try
        {
            lock (_gate)
            {
                if (!Forget(tenantId, opening))
                {
                    return _open.TryGetValue(tenantId, out var open) && ReferenceEquals(open, entry) ? Take(open) : null;
                }

                if (_disposed)
                {
                    // Opened outside the lock while Premix was disposed (a request still in flight at shutdown): nobody would close it.
                    closing = [entry];
                    throw new ObjectDisposedException(nameof(IPremix), "Premix was disposed while the tenant's database was being opened; it was closed again.");
                }

                // A tenant that cannot be opened (unknown, a bad schema name, a callback that throws) evicted nothing: it never got here.
                closing = TakeIdle(Environment.TickCount64);
                if (entry.OwnsPool && PoolsOpen() >= options.MaxOpenDatabases)
                {
                    if (LeastRecentlyUsedFree() is not { } victim)
                    {
                        (closing ??= []).Add(entry);
                        throw new InvalidOperationException(
                            $"Premix cannot open the tenant '{tenantId}': all {options.MaxOpenDatabases} open tenant databases are in use by units of work or statements right now (TenancyOptions.MaxOpenDatabases). Raise MaxOpenDatabases, or dispose units of work sooner (DI scopes end with their request).");
                    }

                    Remove(victim);
                    (closing ??= []).Add(victim);
                }

                _open.Add(tenantId, entry);
                return Take(entry);
            }
        }
        finally
        {
            // Closed outside the lock too: disposing a pool waits for the driver.
            if (closing is not null)
            {
                CloseAll(closing);
            }
        }
    }

    private static TenantEntry Take(TenantEntry entry)
    {
        entry.Leases++;
        entry.LastUsed = Environment.TickCount64;
        return entry;
    }

    // Whether this opening was still pending (and is now gone): only one lease publishes what it opened.
    private bool Forget(string tenantId, Lazy<TenantEntry> opening)
    {
        if (_opening.TryGetValue(tenantId, out var pending) && ReferenceEquals(pending, opening))
        {
            _opening.Remove(tenantId);
            return true;
        }

        return false;
    }

    /// <summary>Gives back what <see cref="Lease"/> or <see cref="TakeOpen"/> took; <paramref name="touch"/> false leaves its place in the LRU order.</summary>
    public void Release(TenantEntry entry, bool touch = true)
    {
        lock (_gate)
        {
            entry.Leases--;
            if (touch)
            {
                entry.LastUsed = Environment.TickCount64;
            }
        }
    }

    /// <summary>
    /// Takes at most <paramref name="max"/> of the tenants open now, the most recently used first, for a probe (readiness):
    /// nothing is opened or evicted and their place in the LRU order stays; give each back with <see cref="Release"/>, touch false.
    /// </summary>
    public List<TenantEntry> TakeOpen(int max)
    {
        lock (_gate)
        {
            var taken = _open.Values.OrderByDescending(e => e.LastUsed).Take(max).ToList();
            foreach (var entry in taken)
            {
                entry.Leases++;
            }

            return taken;
        }
    }

    public void Dispose()
    {
        TenantEntry[] all;
        lock (_gate)
        {
            _disposed = true;
            all = [.. _open.Values];
            _open.Clear();
        }

        CloseAll(all);
    }

    // Each one closed even when another's close throws: a failure is logged, never lost and never leaking the rest.
    private void CloseAll(IEnumerable<TenantEntry> entries)
    {
        foreach (var entry in entries)
        {
            try
            {
                entry.Close();
            }
            catch (Exception error)
            {
                Log.TenantCloseFailed(logger, entry.TenantId, error.GetType().Name, error.Message);
            }
        }
    }

    // Only a tenant with a pool of its own counts towards the bound: a PostgreSQL schema tenant shares the configured pool.
    private int PoolsOpen()
    {
        var pools = 0;
        foreach (var entry in _open.Values)
        {
            pools += entry.OwnsPool ? 1 : 0;
        }

        return pools;
    }

    // The provider refuses identifiers that could end its literal, whatever TenantIdFormat allows: an unknown tenant.
    private string? SettingPrefix(string tenantId)
    {
        try
        {
            return runtime.Provider.TenantSettingPrefix(tenantId);
        }
        catch (ArgumentException refused)
        {
            throw new UnknownTenantException(tenantId, $"The tenant identifier cannot be set for row-level security: {refused.Message} Narrow TenancyOptions.TenantIdFormat to such identifiers.");
        }
    }

    private TenantEntry Open(string tenantId)
    {
        if (options.Strategy == TenantStrategy.Database)
        {
            var connectionString = options.ConnectionStringOf!(tenantId);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new UnknownTenantException(tenantId, $"The tenant '{tenantId}' has no database: the DatabasePerTenant callback gave no connection string for it. Check the tenant's identifier, or add its connection string.");
            }

            var own = runtime.Provider.ForConnectionString(connectionString);
            if (SharesNamedSchemas && !SameServer(own.Target, runtime.Provider.Target))
            {
                (own as IDisposable)?.Dispose(); // made without opening anything
                throw new InvalidOperationException(
                    $"The tenant '{tenantId}' has its database on another server than the configured connection string's, and the model maps {string.Join(", ", _sharedTables)} to a schema of its own: "
                    + $"on {runtime.Provider.Name} a schema is a database on the server, shared by every tenant database there, synced once on the configured server. "
                    + "On another server the tenant would read and write a different table of that name, so it is refused: keep every tenant database on the configured server (host and port as written in both connection strings), or map those tables without a schema.");
            }

            own.UseModel(runtime.Model);
            var server = ServerAddress.Of(connectionString);
            return new TenantEntry(tenantId, own, own, ExecutorFor(own, null, null, server), string.Empty, server);
        }

        if (options.Strategy == TenantStrategy.Column)
        {
            // The shared tables and pool: the tenant is the executor's, bound to each tenant column's filter as a parameter.
            var setting = options.RowLevelSecurity ? SettingPrefix(tenantId) : null; // row-level security's premix.tenant
            return new TenantEntry(tenantId, runtime.Provider, null, ExecutorFor(runtime.Provider, setting, tenantId, ConfiguredServer), string.Empty, ConfiguredServer);
        }

        var schema = options.SchemaOf(tenantId);
        if (schema is null || !SchemaName().IsMatch(schema))
        {
            throw new UnknownTenantException(tenantId, $"The tenant '{tenantId}' cannot have the schema '{schema}': a tenant schema's name is letters, digits and underscores (not starting with a digit), at most 63. Map the tenant to such a name with SchemaPerTenant(tenant => ...).");
        }

        var selection = runtime.Provider.SelectTenantSchema(schema)!; // offered: checked at startup
        selection.Provider?.UseModel(runtime.Model);
        var provider = selection.Provider ?? runtime.Provider;
        return new TenantEntry(tenantId, provider, selection.Provider, ExecutorFor(provider, selection.CommandPrefix, null, ConfiguredServer), selection.CreateSchemaSql, ConfiguredServer);
    }

    // A schema is a database on the server (MySQL, MariaDB) when the engine reaches a tenant's schema through a connection of its own.
    private static bool SchemasAreServerDatabases(IDatabaseProvider provider)
    {
        var probe = provider.SelectTenantSchema("premix_probe");
        (probe?.Provider as IDisposable)?.Dispose(); // made without opening anything
        return probe?.Provider is not null;
    }

    // Host names compared as written (localhost and 127.0.0.1 differ): a refusal to be fixed in the configuration, never a shared table missed.
    private static bool SameServer(DatabaseTarget tenant, DatabaseTarget configured) =>
        string.Equals(tenant.ServerAddress, configured.ServerAddress, StringComparison.OrdinalIgnoreCase) && tenant.ServerPort == configured.ServerPort;

    private List<TenantEntry>? TakeIdle(long now)
    {
        List<TenantEntry>? idle = null;
        var timeout = (long)options.IdleTimeout.TotalMilliseconds;
        foreach (var entry in _open.Values)
        {
            if (entry.Leases == 0 && now - entry.LastUsed >= timeout)
            {
                (idle ??= []).Add(entry);
            }
        }

        if (idle is not null)
        {
            foreach (var entry in idle)
            {
                Remove(entry);
            }
        }

        return idle;
    }

    // Under the lock. A tenant's server reached before keeps that fact when the tenant is closed (idle, or evicted at
    // MaxOpenDatabases): opened again while its server is away (a restart, a failover), it gets the MaxUnavailableTime window.
    private void Remove(TenantEntry entry)
    {
        _open.Remove(entry.TenantId);
        if (entry.Server is { } server && entry.Executor.Retries.ReachedBefore)
        {
            _reachedBefore.Add(server);
        }
    }

    // A tenant's executor, told its server was reached when a tenant closed before had reached it.
    private SqlExecutor ExecutorFor(IDatabaseProvider provider, string? prefix, string? columnTenant, string? server)
    {
        var executor = executorFor(provider, prefix, columnTenant);
        lock (_gate)
        {
            if (server is not null && _reachedBefore.Contains(server))
            {
                executor.Retries.Reached();
            }
        }

        return executor;
    }

    private TenantEntry? LeastRecentlyUsedFree()
    {
        TenantEntry? oldest = null;
        foreach (var entry in _open.Values)
        {
            if (entry.Leases == 0 && entry.OwnsPool && (oldest is null || entry.LastUsed < oldest.LastUsed))
            {
                oldest = entry;
            }
        }

        return oldest;
    }

    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_]{0,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
