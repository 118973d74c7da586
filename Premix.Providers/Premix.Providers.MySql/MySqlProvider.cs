using System.Data.Common;
using MySqlConnector;
using Premix.Migrations;

namespace Premix.Providers.MySql;

/// <summary>
/// Premix on MySQL and MariaDB through MySqlConnector. Every session it opens is strict and reads backslashes the way the
/// driver escapes them, whatever the server's default <c>sql_mode</c> (docs/types.md).
/// </summary>
public sealed class MySqlProvider : IDatabaseProvider, IServiceProvider, IStatementSizeLimit, IReadReplicaProvider, IAsyncDisposable, IDisposable
{
    private readonly MySqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string _password;
    private readonly string _connectionString; // the base of a tenant's schema, which is a database here
    private readonly MySqlStatementSize _sizes;
    private readonly bool _connectionReset;
    private readonly bool _severalServers;
    private ISchemaProvider? _schemaSupport; // made on first request (GetService): a start that never migrates does not load Premix.Migrations
    private object? _schemaSupportGate;

    /// <summary>Creates the provider for one MySQL or MariaDB database.</summary>
    /// <param name="connectionString">A MySqlConnector connection string, for example <c>Server=localhost;Database=shop;User ID=app</c>.</param>
    /// <param name="settings">Pool size, idle lifetime and timeouts to apply where the connection string does not name them; null to leave it as it is.</param>
    public MySqlProvider(string connectionString, ConnectionSettings? settings = null)
        : this(connectionString, settings, readOnly: false)
    {
    }

    // readOnly: a read replica's provider, whose every session is read-only (MySqlSessionMode).
    private MySqlProvider(string connectionString, ConnectionSettings? settings, bool readOnly)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new MySqlConnectionStringBuilder(connectionString)
        {
            // Version checks count matched rows; affected rows would report 0 for an update that writes identical values.
            UseAffectedRows = false,
        };
        Connections = settings is null ? null : Tune(connectionString, builder, settings);
        _connectionString = builder.ConnectionString;
        _dataSource = new MySqlDataSourceBuilder(builder.ConnectionString)
            .UseConnectionOpenedCallback(new MySqlSessionMode(builder.NoBackslashEscapes, readOnly).OnOpenedAsync)
            .Build();
        _ownsDataSource = true;
        Target = new DatabaseTarget(builder.Database, builder.Server, (int)builder.Port);
        _password = builder.Password;
        _sizes = new MySqlStatementSize(builder.NoBackslashEscapes);
        _connectionReset = builder.ConnectionReset;
        _severalServers = builder.Server.Contains(',', StringComparison.Ordinal);
    }

    /// <summary>
    /// Creates the provider on a data source built elsewhere, with its pool and settings as they are. Its owner disposes
    /// it: disposing the provider leaves it open. Premix cannot add its session setup to a data source it did not build:
    /// build it with <see cref="PremixMySqlDataSourceBuilderExtensions.UsePremixSessionMode"/> (or on a server whose
    /// default <c>sql_mode</c> is strict), so that a value too long for its column is an error, not stored cut.
    /// </summary>
    /// <param name="dataSource">The data source to take connections from.</param>
    /// <exception cref="ArgumentException">Its connection string sets <c>Use Affected Rows=true</c>, which hides a stale version from Premix's concurrency checks.</exception>
    public MySqlProvider(MySqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var builder = new MySqlConnectionStringBuilder(dataSource.ConnectionString);
        if (builder.UseAffectedRows)
        {
            throw new ArgumentException(
                "The MySqlDataSource given to UseMySql sets 'Use Affected Rows=true': an update that writes identical values would then count 0 rows and look like a concurrency conflict. Remove the setting from its connection string.",
                nameof(dataSource));
        }

        _dataSource = dataSource;
        _connectionString = dataSource.ConnectionString;
        Target = new DatabaseTarget(builder.Database, builder.Server, (int)builder.Port);
        _password = builder.Password;
        _sizes = new MySqlStatementSize(builder.NoBackslashEscapes);
        _connectionReset = builder.ConnectionReset;
        _severalServers = builder.Server.Contains(',', StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public string Name => "mysql";

    /// <inheritdoc />
    /// <remarks>
    /// MySqlConnector's text protocol has the server parse every statement; a prepared one runs with the binary protocol and
    /// no parse. Only with <c>Connection Reset=true</c> (the default): the session keeps its prepared statements until it is
    /// reset or closed, and without a reset a pooled session would carry them (and run any later command of the same text
    /// prepared) for as long as it lives.
    /// </remarks>
    public bool PreparesRepeatedReads => _connectionReset;

    /// <inheritdoc />
    /// <remarks>Also with <c>Connection Reset=false</c>, where nothing is prepared: a kept command's parameters are re-bound.</remarks>
    public bool KeepsHeldCommands => true;

    /// <inheritdoc />
    /// <remarks>
    /// The server's limit on prepared statements (<c>max_prepared_stmt_count</c>, error 1461), or a server or proxy that does
    /// not take the command (1295; 1047 unless it is Galera's node not being ready, which is the node's, not preparing's).
    /// </remarks>
    public bool RefusesPreparing(Exception error) => error is MySqlException
    {
        ErrorCode: MySqlErrorCode.MaxPreparedStatementCountReached or MySqlErrorCode.UnsupportedPreparedStatement
    } || (error is MySqlException { ErrorCode: MySqlErrorCode.UnknownCommand } unknown && !unknown.Message.Contains("WSREP", StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc />
    public DatabaseTarget Target { get; }

    /// <inheritdoc />
    public ConnectionSettings? Connections { get; }

    /// <inheritdoc />
    /// <remarks>MySqlConnector reports it as "unable to connect" with a message naming the full pool.</remarks>
    public bool IsPoolExhausted(Exception error) =>
        error is MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost } && error.Message.Contains("pooled connections are in use", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public ConnectionFailure DescribeConnectionFailure(Exception error) =>
        new(MySqlErrors.ClassifyOpen(error), ConnectionFailure.ReasonOf(error), Target, _password);

    /// <inheritdoc />
    public DatabaseErrorKind Classify(Exception error) => MySqlErrors.Classify(error);

    /// <inheritdoc />
    public ConstraintViolation? DescribeConstraintViolation(Exception error) => MySqlConstraintErrors.Describe(error);

    /// <inheritdoc />
    /// <remarks>
    /// One read that waits (Galera's <c>wsrep_sync_wait</c>, set for that statement only) until the node has applied every
    /// commit certified before it; the statements that follow on the connection, in the same operation, see them. Set for
    /// the session instead, the flag would outlive the unit of work on a pooled session, and sent together with a read in
    /// one multi-statement packet it does not apply to that read (MariaDB 10.11 reads it when the packet starts). MariaDB
    /// without a cluster runs it without waiting; MySQL has no such variable and refuses it.
    /// </remarks>
    public string CausalReadsSql => "SET STATEMENT wsrep_sync_wait = 1 FOR SELECT 1";

    /// <inheritdoc />
    /// <remarks>
    /// With <c>Connection Reset</c> on (the default), on a pooled session MySqlConnector had reset, MariaDB 10.11.19 was
    /// seen not to make the statement wait, so reads could be stale.
    /// </remarks>
    public string? CausalReadsRefusal => _connectionReset
        ? "Causal reads (UseCausalReads(), and the VerifyCommitWith check on a connection string naming several servers) need 'Connection Reset=false' in the MySQL connection string: on a pooled session MySqlConnector has reset, MariaDB was seen not to apply wsrep_sync_wait (10.11), so reads could miss commits made on other nodes. Add it to the connection string (docs/scale-out.md, \"Galera\")."
        : null;

    /// <inheritdoc />
    public bool ReachesSeveralServers => _severalServers;

    /// <inheritdoc />
    string IStatementSizeLimit.LimitSetting => "max_allowed_packet";

    /// <inheritdoc />
    /// <remarks>The smallest <c>max_allowed_packet</c> MySQL and MariaDB accept.</remarks>
    long IStatementSizeLimit.SmallestLimit => 1024;

    /// <inheritdoc />
    long IStatementSizeLimit.ReadLimit(DbConnection connection, DbTransaction? transaction) => MySqlStatementSize.ReadLimit(connection, transaction);

    /// <inheritdoc />
    Task<long> IStatementSizeLimit.ReadLimitAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        MySqlStatementSize.ReadLimitAsync(connection, transaction, cancellationToken);

    /// <inheritdoc />
    long IStatementSizeLimit.TextSize(string sql, bool exact) => MySqlStatementSize.Text(sql, exact);

    /// <inheritdoc />
    long IStatementSizeLimit.ValueSize(object? value, bool exact) => _sizes.Value(value, exact);

    /// <inheritdoc />
    public ISqlDialect Dialect { get; } = new MySqlDialect();

    /// <summary>
    /// Serves Premix.Migrations' <c>ISchemaProvider</c> (schema sync, diff, scaffolding, versioned migrations), made on the
    /// first request; null for any other service. Premix.Migrations asks for it through <c>provider.SchemaSupport()</c>.
    /// </summary>
    /// <remarks>Served rather than implemented by the provider, so that a start that never touches the schema does not load Premix.Migrations.</remarks>
    /// <param name="serviceType">The service wanted: <c>typeof(ISchemaProvider)</c>.</param>
    public object? GetService(Type serviceType) =>
        serviceType == typeof(ISchemaProvider) ? LazyInitializer.EnsureInitialized(ref _schemaSupport, ref _schemaSupportGate, () => new MySqlSchemaSupport(Dialect)) : null;

    /// <inheritdoc />
    public DbConnection CreateConnection() => _dataSource.CreateConnection();

    /// <inheritdoc />
    public IDatabaseProvider ForConnectionString(string connectionString) => new MySqlProvider(connectionString, Connections);

    /// <inheritdoc />
    /// <remarks>
    /// A schema is a database here: the tenant's is reached through a connection string naming it, on the same server, with
    /// a pool of its own. A <c>USE</c> on a shared pool would stay on the connection (MySqlConnector's reset keeps the
    /// session's database), so the next statement without one would run in the previous tenant's database.
    /// </remarks>
    public TenantSchemaSelection? SelectTenantSchema(string schema) =>
        TenantSchemaSelection.ThroughProvider(
            ForConnectionString(new MySqlConnectionStringBuilder(_connectionString) { Database = schema }.ConnectionString),
            $"CREATE DATABASE IF NOT EXISTS {Dialect.QuoteIdentifier(schema)} CHARACTER SET utf8mb4");

    /// <inheritdoc />
    /// <remarks>
    /// MariaDB GTID replicas. Its sessions run <c>SET SESSION TRANSACTION READ ONLY</c>, so a write fails even for a user
    /// with SUPER, whom the server's <c>read_only</c> lets through (error 1792); any other user gets 1290 from
    /// <c>read_only=ON</c>. Both are a <see cref="ReplicaWriteException"/>, never run again on the primary.
    /// </remarks>
    public IDatabaseProvider CreateReadReplica(string connectionString, ConnectionSettings? settings) => new MySqlProvider(connectionString, settings, readOnly: true);

    /// <inheritdoc />
    public string PositionScheme => "gtid";

    /// <inheritdoc />
    public string CommitPositionSql => MySqlReadReplicas.CommitPositionSql;

    /// <inheritdoc />
    public string ReplicaStatusSql => MySqlReadReplicas.ReplicaStatusSql;

    /// <inheritdoc />
    public (string? Position, double Lag) ReadReplicaStatus(DbDataReader reader) => MySqlReadReplicas.ReadStatus(reader);

    /// <inheritdoc />
    public bool IsReadOnlyRefusal(Exception error) => MySqlReadReplicas.IsReadOnlyRefusal(error);

    /// <inheritdoc />
    public bool IsPositionReadFailure(Exception error) => error is MySqlException { ErrorCode: MySqlErrorCode.UnknownSystemVariable };

    /// <inheritdoc />
    public bool IsCommandTimeout(Exception error) => error is MySqlException { ErrorCode: MySqlErrorCode.CommandTimeoutExpired };

    /// <summary>Disposes the driver's data source it created, closing its pooled connections; one given ready-made stays open.</summary>
    public ValueTask DisposeAsync() => _ownsDataSource ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>Disposes the driver's data source it created, closing its pooled connections; one given ready-made stays open.</summary>
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    private static ConnectionSettings Tune(string connectionString, MySqlConnectionStringBuilder b, ConnectionSettings s)
    {
        var tuner = new ConnectionStringTuner(connectionString);
        return s with
        {
            MaxPoolSize = (int)tuner.Choose(["Maximum Pool Size", "Max Pool Size", "MaximumPoolSize", "maxpoolsize"], (uint)s.MaxPoolSize!.Value, () => b.MaximumPoolSize, v => b.MaximumPoolSize = v),
            MinPoolSize = (int)tuner.Choose(["Minimum Pool Size", "Min Pool Size", "MinimumPoolSize", "minpoolsize"], (uint)s.MinPoolSize!.Value, () => b.MinimumPoolSize, v => b.MinimumPoolSize = v),
            IdleLifetime = TimeSpan.FromSeconds(tuner.Choose(["Connection Idle Timeout", "ConnectionIdleTimeout"], (uint)s.IdleLifetime!.Value.TotalSeconds, () => b.ConnectionIdleTimeout, v => b.ConnectionIdleTimeout = v)),
            ConnectTimeout = TimeSpan.FromSeconds(tuner.Choose(["Connection Timeout", "Connect Timeout", "ConnectionTimeout"], (uint)s.ConnectTimeout.TotalSeconds, () => b.ConnectionTimeout, v => b.ConnectionTimeout = v)),
            CommandTimeout = TimeSpan.FromSeconds(tuner.Choose(["Default Command Timeout", "Command Timeout", "DefaultCommandTimeout"], (uint)s.CommandTimeout.TotalSeconds, () => b.DefaultCommandTimeout, v => b.DefaultCommandTimeout = v)),
            KeptFromConnectionString = tuner.Kept,
        };
    }
}
