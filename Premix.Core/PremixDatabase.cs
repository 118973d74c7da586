using System.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Premix.Execution;
using Premix.Mapping;
using Premix.Plans;
using Premix.Providers;
using Premix.Tracking;

namespace Premix;

/// <summary>The <see cref="IPremix"/> of one database: the runtime built at startup plus the executor that runs everything.</summary>
internal sealed class PremixDatabase : IPremix
{
    private readonly PremixRuntime _runtime;
    private readonly SqlExecutor _executor;
    private readonly ILogger _logger;
    private readonly StandaloneSession _standalone;
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
        if (Connections is { } chosen)
        {
            Log.ConnectionSettingsChosen(_logger, runtime.Provider.Name, chosen.Environment, chosen.Describe(), chosen.KeptFromConnectionString.Count == 0 ? "none" : string.Join(", ", chosen.KeptFromConnectionString));
        }
    }

    /// <summary>
    /// Creates the database and runs the startup checks against it; one that throws fails the start. At design time
    /// (<see cref="PremixDesignTime"/>) the checks are skipped: the tool reads the configuration and connects only when asked.
    /// </summary>
    public static PremixDatabase Start(PremixRuntime runtime, ILoggerFactory? loggerFactory)
    {
        var premix = new PremixDatabase(runtime, loggerFactory);
        if (PremixDesignTime.IsActive)
        {
            return premix;
        }

        foreach (var check in runtime.StartupChecks)
        {
            check(premix);
        }

        return premix;
    }

    public Model Model => _runtime.Model;

    internal PremixRuntime Runtime => _runtime;

    /// <summary>The executor of this database, for the statements of schema sync and migrations (Premix.Migrations).</summary>
    internal SqlExecutor Executor => _executor;

    public IDatabaseProvider Provider => _runtime.Provider;

    public ConnectionSettings? Connections => _runtime.Provider.Connections;

    public IReadOnlyList<EntityPlan> Plans { get; }

    public IUnitOfWork BeginUnitOfWork(IsolationLevel isolationLevel = IsolationLevel.Unspecified) => BeginUnitOfWork(isolationLevel, null);

    /// <summary>A unit of work whose commits also run the <see cref="IEntityHook{T}"/> services of <paramref name="services"/>.</summary>
    internal IUnitOfWork BeginUnitOfWork(IsolationLevel isolationLevel, IServiceProvider? services)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new UnitOfWork(_runtime, _executor, _logger, isolationLevel, services);
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
    private ISqlSession Session => AmbientConnection.Find(_executor) ?? (ISqlSession)_standalone;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _standalone.Close();
        if (_executor.Replicas is { } replicas)
        {
            await replicas.DisposeAsync().ConfigureAwait(false);
        }

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
        _standalone.Close();
        _executor.Replicas?.Dispose();
        if (_runtime.OwnsProvider && _runtime.Provider is IDisposable provider)
        {
            provider.Dispose();
        }
    }

    public EntityPlan GetPlan<T>()
        where T : class => _runtime.Plan(typeof(T));

    public string DescribePlans() => string.Join(Environment.NewLine, Plans.Select(p => p.ToSql() + Querying.QueryFilterListing.Describe(p, _runtime.Provider.Dialect)));
}
