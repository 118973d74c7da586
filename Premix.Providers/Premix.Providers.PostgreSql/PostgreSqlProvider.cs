using System.Data.Common;
using System.Runtime.CompilerServices;
using Npgsql;
using Premix.Migrations;

namespace Premix.Providers.PostgreSql;

/// <summary>Premix on PostgreSQL through Npgsql.</summary>
public sealed partial class PostgreSqlProvider : IDatabaseProvider, IServiceProvider, IReadReplicaProvider, IAsyncDisposable, IDisposable
{
    private readonly Lock _gate = new();
    private readonly NpgsqlDataSourceBuilder? _builder; // until the data source is built (on first use), so UseModel can register types
    private readonly HashSet<Type> _composites = [];
    private readonly List<NpgsqlDataSource> _retired = []; // built before UseModel added a composite type; disposed with the provider
    private volatile IReadOnlyList<(Mapping.DatabaseComposite Type, string Property)> _unregistrable = []; // of a data source given ready-made: the model's composite properties, whose types only its builder could map
    private volatile NpgsqlDataSource? _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string? _password;
    private readonly int _hosts; // how many the connection string names (Host=a,b): a multi-host failure names fewer when one answered as a standby
    private long _statesClearedAt; // Environment.TickCount64 of the last ClearDatabaseStates, so that concurrent retries clear once
    private long _poolClearedAt; // and of the last Clear after a write refused as read-only
    private ISchemaProvider? _schemaSupport; // made on first request (GetService): a start that never migrates does not load Premix.Migrations
    private object? _schemaSupportGate;

    /// <summary>Creates the provider for one PostgreSQL database.</summary>
    /// <param name="connectionString">An Npgsql connection string, for example <c>Host=localhost;Database=shop;Username=app</c>.</param>
    /// <param name="settings">Pool size, idle lifetime and timeouts to apply where the connection string does not name them; null to leave it as it is.</param>
    public PostgreSqlProvider(string connectionString, ConnectionSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Connections = settings is null ? null : Tune(connectionString, builder, settings);
        _builder = new NpgsqlDataSourceBuilder(builder.ConnectionString);
        _ownsDataSource = true;
        Target = TargetOf(builder);
        _password = builder.Password;
        _hosts = builder.Host?.Split(',', StringSplitOptions.RemoveEmptyEntries).Length ?? 1;
    }

    /// <summary>
    /// Creates the provider on a data source built elsewhere (<c>NpgsqlDataSource.Create</c>, <c>AddNpgsqlDataSource</c>),
    /// with its pool and settings as they are. Its owner disposes it: disposing the provider leaves it open.
    /// </summary>
    /// <param name="dataSource">The data source to take connections from.</param>
    public PostgreSqlProvider(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        _dataSource = dataSource;
        Target = TargetOf(builder);
        _password = builder.Password;
        _hosts = builder.Host?.Split(',', StringSplitOptions.RemoveEmptyEntries).Length ?? 1;
    }

    /// <inheritdoc />
    public string Name => "postgresql";

    /// <inheritdoc />
    public DatabaseTarget Target { get; }

    /// <inheritdoc />
    public ConnectionSettings? Connections { get; }

    /// <inheritdoc />
    /// <remarks>Npgsql says so in its message (and wraps a <see cref="TimeoutException"/>); there is no error code for it.</remarks>
    public bool IsPoolExhausted(Exception error) =>
        error is NpgsqlException && error.Message.Contains("connection pool has been exhausted", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public ConnectionFailure DescribeConnectionFailure(Exception error) =>
        new(PostgreSqlErrors.ClassifyOpen(error, _hosts), PostgreSqlErrors.ReasonOfOpen(error), Target, _password);

    /// <inheritdoc />
    /// <remarks>
    /// With several hosts (<c>Host=a,b</c>, an <see cref="NpgsqlMultiHostDataSource"/>), Npgsql skips a host it last saw
    /// offline or as a standby for <c>Host Recheck Seconds</c> (10 s by default): after a failover it would go on finding no
    /// primary although the promoted standby is one. Only when those states stopped an open ("No suitable host was found")
    /// are they forgotten, so the next attempt asks each host again; a host found dead stays skipped otherwise (a dead
    /// machine that drops packets costs a whole <c>Timeout</c> each time it is asked). After a write refused as read-only
    /// (25006) by a server that may be promoted, the pool is emptied on one host only: its connections may lead to a
    /// standby that an address (a virtual IP, a DNS name) has moved away from. With several hosts nothing is emptied:
    /// Npgsql already keeps a standby's connections from sessions that want a primary, by the state each connection
    /// reports, and for any other Target Session Attributes a new connection would reach the same standby. Either clear
    /// happens at most once per <see cref="ClearInterval"/> whatever the number of callers.
    /// </remarks>
    public void PrepareRetry(Exception error)
    {
        var causes = DriverErrors(error).ToList();
        if (causes.Any(PostgreSqlErrors.IsReadOnlyRefusal) && DataSource is not NpgsqlMultiHostDataSource && ClearDue(ref _poolClearedAt))
        {
            DataSource.Clear();
        }

        if (causes.Any(PostgreSqlErrors.IsNoSuitableHost) && DataSource is NpgsqlMultiHostDataSource multiHost && ClearDue(ref _statesClearedAt))
        {
            multiHost.ClearDatabaseStates();
        }

        static IEnumerable<Exception> DriverErrors(Exception error)
        {
            for (var cause = error; cause is not null; cause = cause.InnerException)
            {
                yield return cause;
            }
        }
    }

    // The default ResilienceOptions.BaseDelay: cleared more often, states would only make each retry ask dead hosts again,
    // and a pool would only lose the connections opened since.
    private static readonly TimeSpan ClearInterval = TimeSpan.FromMilliseconds(100);

    // Whether the clear last done at `last` (Environment.TickCount64) is ClearInterval old or more, taking the turn.
    private static bool ClearDue(ref long last)
    {
        var then = Interlocked.Read(ref last);
        var now = Environment.TickCount64;
        return now - then >= ClearInterval.TotalMilliseconds && Interlocked.CompareExchange(ref last, now, then) == then;
    }

    /// <inheritdoc />
    /// <remarks>
    /// A standby answers with <c>57P03</c> (cannot_connect_now), a connection worth trying again, until it is promoted:
    /// only then has it applied every COMMIT it received.
    /// </remarks>
    public string WritableServerCheckSql => PostgreSqlErrors.WritableServerCheckSql;

    /// <inheritdoc />
    public DatabaseErrorKind Classify(Exception error) => PostgreSqlErrors.Classify(error);

    /// <inheritdoc />
    /// <remarks>
    /// A write refused as read-only (SQLSTATE 25006) is retried only when it may be a failover's: not when the server says
    /// it is no standby and its sessions start read-only (<c>default_transaction_read_only</c>), which is configuration.
    /// </remarks>
    public DatabaseErrorKind Classify(Exception error, DbConnection connection) =>
        PostgreSqlErrors.IsReadOnlyRefusal(error) && connection is NpgsqlConnection npgsql
            ? PostgreSqlErrors.ClassifyReadOnlyRefusal(npgsql)
            : PostgreSqlErrors.Classify(error);

    /// <inheritdoc />
    /// <remarks>
    /// Nothing is prepared on the server (Npgsql's own <c>Max Auto Prepare</c> decides that): a kept command is sent again
    /// with the positional text it ran with and its parameters re-bound.
    /// </remarks>
    public bool KeepsHeldCommands => true;

    /// <inheritdoc />
    /// <remarks>
    /// PgBouncer's refusal of a client it has no server for, while the server behind it is down or failing over (SQLSTATE
    /// 08P01): "server login has been failing, try again later" (PgBouncer 1.18), or "pgbouncer cannot connect to server"
    /// (other versions). Not "server conn crashed?", which may come at COMMIT.
    /// </remarks>
    public bool IsServerUnavailable(Exception error) => PostgreSqlErrors.IsPoolerWithoutServer(error);

    /// <inheritdoc />
    public ConstraintViolation? DescribeConstraintViolation(Exception error) => PostgreSqlConstraintErrors.Describe(error);

    /// <inheritdoc />
    /// <remarks>
    /// A write refused as read-only by a server that is read-only by configuration (see <see cref="Classify(Exception, DbConnection)"/>)
    /// says so, and that it was not retried; anything else as <see cref="ExplainFailure(Exception)"/>.
    /// </remarks>
    public string? ExplainFailure(Exception error, DbConnection connection) =>
        PostgreSqlErrors.IsReadOnlyRefusal(error) && connection is NpgsqlConnection npgsql && PostgreSqlErrors.IsReadOnlyByConfiguration(npgsql)
            ? error.Message + PostgreSqlErrors.ReadOnlyByConfiguration
            : ExplainFailure(error);

    /// <inheritdoc />
    /// <remarks>
    /// Npgsql reads and writes no composite type its data source has no mapping for, and says so naming only the CLR type
    /// (an <see cref="InvalidCastException"/>); on a data source given ready-made, which Premix cannot register types on, the
    /// message names the composite type, the property and the registration to add.
    /// </remarks>
    public string? ExplainFailure(Exception error) =>
        error is InvalidCastException && _unregistrable.FirstOrDefault(c => error.Message.Contains($"'{c.Type.ClrType.FullName}'", StringComparison.Ordinal)) is { Type: { } type } composite
            ? $"the NpgsqlDataSource given to Premix has no mapping for the composite type {type.Name} ({type.ClrType.Name}, property {composite.Property}), and Npgsql reads and writes no unmapped composite type. "
              + $"Fix: register it on the data source's builder before Build(): dataSourceBuilder.MapComposite<{type.ClrType.Name}>(\"{type.Name}\", nameTranslator), with a translator giving the attribute names {string.Join(", ", type.Fields.Select(f => f.Name))} "
              + "(NpgsqlNullNameTranslator when they are the property names); or give Premix the connection string, and it registers the model's composite types itself. "
              + $"(Npgsql: {error.Message})"
            : null;

    /// <inheritdoc />
    /// <remarks>Its sessions start with <c>default_transaction_read_only=on</c>, so a write fails with SQLSTATE 25006 even on a server that is not a standby.</remarks>
    public IDatabaseProvider CreateReadReplica(string connectionString, ConnectionSettings? settings) =>
        new PostgreSqlProvider(PostgreSqlReadReplicas.ReadOnly(connectionString), settings);

    /// <inheritdoc />
    public string CommitPositionSql => PostgreSqlReadReplicas.CommitPositionSql;

    /// <inheritdoc />
    public string ReplicaStatusSql => PostgreSqlReadReplicas.ReplicaStatusSql;

    /// <inheritdoc />
    public bool IsReadOnlyRefusal(Exception error) => PostgreSqlErrors.IsReadOnlyRefusal(error);

    /// <inheritdoc />
    public ISqlDialect Dialect { get; } = new PostgreSqlDialect();

    /// <summary>
    /// Serves Premix.Migrations' <c>ISchemaProvider</c> (schema sync, diff, scaffolding, versioned migrations), made on the
    /// first request; null for any other service. Premix.Migrations asks for it through <c>provider.SchemaSupport()</c>.
    /// </summary>
    /// <remarks>Served rather than implemented by the provider, so that a start that never touches the schema does not load Premix.Migrations.</remarks>
    /// <param name="serviceType">The service wanted: <c>typeof(ISchemaProvider)</c>.</param>
    public object? GetService(Type serviceType) =>
        serviceType == typeof(ISchemaProvider) ? LazyInitializer.EnsureInitialized(ref _schemaSupport, ref _schemaSupportGate, () => new PostgreSqlSchemaSupport(Dialect)) : null;

    /// <inheritdoc />
    public DbConnection CreateConnection() => DataSource.CreateConnection();

    /// <inheritdoc />
    public IDatabaseProvider ForConnectionString(string connectionString) => new PostgreSqlProvider(connectionString, Connections);

    /// <inheritdoc />
    /// <remarks>
    /// The schema is set transaction-locally with every command, in the same round trip, never for the session: a session
    /// setting would stay on a pooled connection (and, behind PgBouncer in transaction mode, on a server connection another
    /// client gets next). <c>SET LOCAL</c> sent outside <c>BEGIN</c> writes a warning into the server log on every command,
    /// and <c>SELECT set_config(…)</c> would answer a row of its own; <c>set_config</c> inside a <c>DO</c> block does neither.
    /// </remarks>
    public TenantSchemaSelection? SelectTenantSchema(string schema)
    {
        var quoted = Dialect.QuoteIdentifier(schema);
        return TenantSchemaSelection.ThroughCommandPrefix(
            $"DO $premix_tenant$BEGIN PERFORM set_config('search_path', '{quoted.Replace("'", "''", StringComparison.Ordinal)}', true); END$premix_tenant$;",
            $"CREATE SCHEMA IF NOT EXISTS {quoted}");
    }

    /// <inheritdoc />
    /// <remarks>
    /// Transaction-local (<c>set_config(…, true)</c>), never for the session, for the reasons <see cref="SelectTenantSchema"/>
    /// gives; a <c>DO</c> block takes no parameters, so the tenant is a literal here. Whatever
    /// <c>TenancyOptions.TenantIdFormat</c> lets through, only letters, digits and <c>_ - . : @</c> get into it: no quote,
    /// dollar sign, backslash or control character can end the literal or the block. The statements' own SQL stays every tenant's.
    /// </remarks>
    /// <exception cref="ArgumentException">The identifier has another character.</exception>
    public string? TenantSettingPrefix(string tenantId)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        return SettingLiteral().IsMatch(tenantId)
            ? $"DO $premix_tenant$BEGIN PERFORM set_config('premix.tenant', '{tenantId}', true); END$premix_tenant$;"
            : throw new ArgumentException("A tenant identifier set for row-level security has only letters, digits and _ - . : @ (it is a literal in the statement that sets premix.tenant).", nameof(tenantId));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\A[A-Za-z0-9_.:@-]+\z")]
    private static partial System.Text.RegularExpressions.Regex SettingLiteral();

    /// <inheritdoc />
    /// <remarks>
    /// Registers each composite type of the model (<c>StoredAsCompositeType</c>) with Npgsql, which reads and writes no
    /// unmapped composite, with the attribute names of the model. When connections were already taken (a provider shared
    /// by several models), later ones come from a new data source that knows the types too; the earlier one stays open until
    /// the provider is disposed. A data source given ready-made is the caller's to register
    /// (<c>NpgsqlDataSourceBuilder.MapComposite</c>), which Premix cannot see; see docs/types.md, "Composite types".
    /// </remarks>
    public void UseModel(Mapping.Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var composites = model.Entities.SelectMany(e => e.Properties).Select(p => p.CompositeType).OfType<Mapping.DatabaseComposite>().DistinctBy(c => c.ClrType).ToList();
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            // Refused at startup, naming every one; the branch that maps them is then not compiled into the native image.
            if (PostgreSqlCompositeTypes.NotUnderNativeAot(model) is { } refusal)
            {
                throw refusal;
            }

            return;
        }

        if (composites.Count > 0 && _builder is null)
        {
            lock (_gate)
            {
                _unregistrable = [.. _unregistrable, .. model.Entities.SelectMany(e => e.Properties.Where(p => p.CompositeType is not null).Select(p => (p.CompositeType!, $"{e.Name}.{p.Name}")))];
            }
        }

        if (composites.Count == 0 || _builder is null)
        {
            return;
        }

        lock (_gate)
        {
            var added = false;
            foreach (var composite in composites.Where(c => _composites.Add(c.ClrType)))
            {
                _builder.MapComposite(composite.ClrType, composite.Name, new PostgreSqlCompositeNames(composite));
                added = true;
            }

            if (added && _dataSource is { } built)
            {
                _retired.Add(built);
                _dataSource = null;
            }
        }
    }

    /// <summary>Disposes the driver's data source it created, closing its pooled connections; one given ready-made stays open.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            foreach (var dataSource in OwnedDataSources())
            {
                await dataSource.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Disposes the driver's data source it created, closing its pooled connections; one given ready-made stays open.</summary>
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            foreach (var dataSource in OwnedDataSources())
            {
                dataSource.Dispose();
            }
        }
    }

    private List<NpgsqlDataSource> OwnedDataSources()
    {
        lock (_gate)
        {
            return _dataSource is { } current ? [.. _retired, current] : [.. _retired];
        }
    }

    // Built on first use, after UseModel registered the model's types.
    private NpgsqlDataSource DataSource
    {
        get
        {
            if (_dataSource is { } built)
            {
                return built;
            }

            lock (_gate)
            {
                return _dataSource ??= _builder!.Build();
            }
        }
    }

    // Several hosts (Host=a:5432,b:5433) carry their ports in the host list: no one port applies.
    private static DatabaseTarget TargetOf(NpgsqlConnectionStringBuilder builder) =>
        new(builder.Database ?? builder.Username, builder.Host, builder.Host?.Contains(',', StringComparison.Ordinal) == true ? null : builder.Port);

    private static ConnectionSettings Tune(string connectionString, NpgsqlConnectionStringBuilder b, ConnectionSettings s)
    {
        var tuner = new ConnectionStringTuner(connectionString);
        return s with
        {
            MaxPoolSize = tuner.Choose(["Maximum Pool Size", "MaxPoolSize", "Max Pool Size"], s.MaxPoolSize!.Value, () => b.MaxPoolSize, v => b.MaxPoolSize = v),
            MinPoolSize = tuner.Choose(["Minimum Pool Size", "MinPoolSize", "Min Pool Size"], s.MinPoolSize!.Value, () => b.MinPoolSize, v => b.MinPoolSize = v),
            IdleLifetime = TimeSpan.FromSeconds(tuner.Choose(["Connection Idle Lifetime"], (int)s.IdleLifetime!.Value.TotalSeconds, () => b.ConnectionIdleLifetime, v => b.ConnectionIdleLifetime = v)),
            ConnectTimeout = TimeSpan.FromSeconds(tuner.Choose(["Timeout"], (int)s.ConnectTimeout.TotalSeconds, () => b.Timeout, v => b.Timeout = v)),
            CommandTimeout = TimeSpan.FromSeconds(tuner.Choose(["Command Timeout"], (int)s.CommandTimeout.TotalSeconds, () => b.CommandTimeout, v => b.CommandTimeout = v)),
            KeptFromConnectionString = tuner.Kept,
        };
    }
}
