using System.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Premix.Diagnostics;
using Premix.Execution;
using Premix.Mapping;
using Premix.Plans;
using Premix.Providers;
using Premix.Tenancy;
using Premix.Tracking;

namespace Premix;

/// <summary>The <see cref="IPremix"/> of one database: the runtime built at startup plus the executor that runs everything.</summary>
internal sealed class PremixDatabase : IPremix
{
    private readonly PremixRuntime _runtime;
    private readonly SqlExecutor _executor;
    private readonly ILogger _logger;
    private readonly StandaloneSession _standalone;
    private readonly TenantDatabases? _tenants; // with UseTenants: every unit of work and raw statement runs on a tenant's
    private readonly (PremixDatabase Root, TenantEntry Entry)? _tenant; // a view of one tenant (ForTenant), for sync and migrations
    private readonly bool _probe; // a view of an open tenant for readiness (ForOpenTenants): giving it back leaves the LRU order
    private bool _disposed;

    public PremixDatabase(PremixRuntime runtime, ILoggerFactory? loggerFactory)
    {
        _runtime = runtime;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Premix");
        _executor = new SqlExecutor(_logger, runtime.Telemetry, runtime.LogParameterValues, runtime.Provider, new Resilience.RetryPolicy(runtime.Resilience, runtime.Provider, _logger, runtime.Telemetry), runtime.Constraints);
        _standalone = new StandaloneSession(runtime.Provider, _executor);
        if (runtime.ReadReplicas.Count > 0)
        {
            _executor.Replicas = Replicas.ReplicaRouterFactory.Create(runtime, _executor, _logger);
        }

        Plans = runtime.Model.Entities.Select(e => runtime.Plans[e.ClrType]).ToArray();
        if (runtime.Tenancy is { } tenancy)
        {
            _tenants = new TenantDatabases(runtime, tenancy, _logger, (provider, prefix, columnTenant) =>
            {
                // The tenant's database (never its connection string) on every span and measurement: statements, commits, retries.
                var telemetry = runtime.Telemetry.On(provider.Target);
                return new SqlExecutor(_logger, telemetry, runtime.LogParameterValues, provider, new Resilience.RetryPolicy(runtime.Resilience, provider, _logger, telemetry), runtime.Constraints) { TenantPrefix = prefix, ServesOneTenant = true, ColumnTenant = columnTenant };
            });
        }

        if (Connections is { } chosen)
        {
            Log.ConnectionSettingsChosen(_logger, runtime.Provider.Name, chosen.Environment, chosen.Describe(), chosen.KeptFromConnectionString.Count == 0 ? "none" : string.Join(", ", chosen.KeptFromConnectionString));
        }
    }

    // One tenant's view: the root's model and plans, the tenant's executor and connections.
    private PremixDatabase(PremixDatabase root, TenantEntry tenant, bool probe)
    {
        _probe = probe;
        _runtime = root._runtime;
        _logger = root._logger;
        _executor = tenant.Executor;
        _standalone = tenant.Standalone;
        Plans = root.Plans;
        _tenant = (root, tenant);
    }

    /// <summary>
    /// Creates the database and runs the startup checks against it; one that throws fails the start. At design time
    /// (<see cref="PremixDesignTime"/>) the checks are skipped: the tool reads the configuration and connects only when asked.
    /// </summary>
    public static PremixDatabase Start(PremixRuntime runtime, ILoggerFactory? loggerFactory)
    {
        var premix = new PremixDatabase(runtime, loggerFactory);
        StartPhases.Mark("database");
        if (PremixDesignTime.IsActive)
        {
            return premix;
        }

        foreach (var check in runtime.StartupChecks)
        {
            check(premix);
        }

        StartPhases.Mark("started");
        return premix;
    }

    public Model Model => _runtime.Model;

    internal PremixRuntime Runtime => _runtime;

    /// <summary>The executor of this database, for the statements of schema sync and migrations (Premix.Migrations).</summary>
    internal SqlExecutor Executor => _executor;

    public IDatabaseProvider Provider => _tenant?.Entry.Provider ?? _runtime.Provider;

    public ConnectionSettings? Connections => Provider.Connections;

    /// <summary>In a tenant's view with a schema per tenant: the statement that creates the schema; empty otherwise.</summary>
    internal string CreateSchemaSql => _tenant?.Entry.CreateSchemaSql ?? string.Empty;

    /// <summary>
    /// Whether this is a tenant's view with a schema per tenant, where a table mapped to a schema of its own
    /// (<c>ToTable(name, schema)</c>) is shared by every tenant (its plans name that schema; the tenant's schema only
    /// applies to unqualified names): it is not one tenant's to sync.
    /// </summary>
    internal bool SharesNamedSchemas => _tenant is { } tenant && tenant.Root._tenants!.SharesNamedSchemas;

    /// <summary>Whether this is the Premix of many tenants (<c>UseTenants</c>), whose own executor reaches no tenant's data.</summary>
    internal bool ServesTenants => _tenants is not null;

    /// <summary>The tenants, with <c>UseTenants</c>; <see langword="null"/> otherwise and in a tenant's view.</summary>
    internal TenantDatabases? Tenants => _tenants;

    /// <summary>
    /// A view of one tenant: its unit of work, raw statements, sync and migrations run on the tenant's database or schema.
    /// It holds the tenant open until disposed.
    /// </summary>
    /// <exception cref="InvalidOperationException">Premix is not configured for tenants.</exception>
    internal PremixDatabase ForTenant(string tenantId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var tenants = _tenants ?? throw new InvalidOperationException("This Premix serves one database: call UseTenants(...) in its configuration to work per tenant.");
        return new PremixDatabase(this, tenants.Lease(tenantId), probe: false);
    }

    /// <summary>
    /// Views of at most <paramref name="max"/> tenants open now (most recently used first), for a readiness probe: none is
    /// opened, evicted or made more recently used. Dispose each.
    /// </summary>
    internal IReadOnlyList<PremixDatabase> ForOpenTenants(int max)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var tenants = _tenants ?? throw new InvalidOperationException("This Premix serves one database: call UseTenants(...) in its configuration to work per tenant.");
        return tenants.TakeOpen(max).Select(entry => new PremixDatabase(this, entry, probe: true)).ToList();
    }

    public IReadOnlyList<EntityPlan> Plans { get; }

    public IUnitOfWork BeginUnitOfWork(IsolationLevel isolationLevel = IsolationLevel.Unspecified) => BeginUnitOfWork(isolationLevel, null);

    /// <summary>A unit of work whose commits also run the <see cref="IEntityHook{T}"/> services of <paramref name="services"/>.</summary>
    internal IUnitOfWork BeginUnitOfWork(IsolationLevel isolationLevel, IServiceProvider? services)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_tenants is null)
        {
            return new UnitOfWork(_runtime, _executor, _logger, isolationLevel, services);
        }

        // The tenant is resolved once, here: the unit of work (one per DI scope) keeps it for its whole life.
        var tenants = _tenants;
        var entry = tenants.Lease(TenantResolution.Resolve(services));
        try
        {
            return new UnitOfWork(_runtime, entry.Executor, _logger, isolationLevel, services) { Disposed = () => tenants.Release(entry) };
        }
        catch
        {
            tenants.Release(entry);
            throw;
        }
    }

    public RawQuery Raw(string sql, object? args = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new(Session, _runtime, sql, args);
    }

    public RawQuery Raw(RawSql sql)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return RawQuery.Interpolated(Session, _runtime, sql);
    }

    RawQuery IPremix.Raw(RawSql sql, object? args) => throw RawQuery.MixedArguments();

    // A raw statement runs on a pooled connection of its own, or on the connection of the test scope active here.
    // With tenants, a session of the ambient tenant (resolved now, before any SQL).
    private ISqlSession Session => _tenants is not null ? new TenantSession(_tenants, TenantResolution.Resolve(null)) : AmbientConnection.Find(_executor) ?? (ISqlSession)_standalone;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_tenant is { } view)
        {
            view.Root._tenants!.Release(view.Entry, touch: !_probe); // the tenant's pool is the root's to close
            return;
        }

        _standalone.Close();
        if (_executor.Replicas is { } replicas)
        {
            await replicas.DisposeAsync().ConfigureAwait(false);
        }

        _tenants?.Dispose();

        if (_runtime.OwnsProvider && _runtime.Provider is IAsyncDisposable provider)
        {
            await provider.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_tenant is { } view)
        {
            view.Root._tenants!.Release(view.Entry, touch: !_probe);
            return;
        }

        _standalone.Close();
        _executor.Replicas?.Dispose();
        _tenants?.Dispose();
        if (_runtime.OwnsProvider && _runtime.Provider is IDisposable provider)
        {
            provider.Dispose();
        }
    }

    public EntityPlan GetPlan<T>()
        where T : class => _runtime.Plan(typeof(T));

    public string DescribePlans() => string.Join(Environment.NewLine, Plans.Select(p => p.ToSql() + Querying.QueryFilterListing.Describe(p, _runtime.Provider.Dialect)));
}
