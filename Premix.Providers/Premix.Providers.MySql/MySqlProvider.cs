using System.Data.Common;
using MySqlConnector;
using Premix.Migrations;

namespace Premix.Providers.MySql;

/// <summary>
/// Premix on MySQL and MariaDB through MySqlConnector. Every session it opens is strict and reads backslashes the way the
/// driver escapes them, whatever the server's default <c>sql_mode</c> (docs/types.md).
/// </summary>
public sealed class MySqlProvider : IDatabaseProvider, ISchemaProvider, IStatementSizeLimit, IAsyncDisposable, IDisposable
{
    private readonly MySqlDataSource _dataSource;
    private readonly string _password;
    private readonly MySqlStatementSize _sizes;

    /// <summary>Creates the provider for one MySQL or MariaDB database.</summary>
    /// <param name="connectionString">A MySqlConnector connection string, for example <c>Server=localhost;Database=shop;User ID=app</c>.</param>
    /// <param name="settings">Pool size, idle lifetime and timeouts to apply where the connection string does not name them; null to leave it as it is.</param>
    public MySqlProvider(string connectionString, ConnectionSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new MySqlConnectionStringBuilder(connectionString)
        {
            // Version checks count matched rows; affected rows would report 0 for an update that writes identical values.
            UseAffectedRows = false,
        };
        Connections = settings is null ? null : Tune(connectionString, builder, settings);
        _dataSource = new MySqlDataSourceBuilder(builder.ConnectionString)
            .UseConnectionOpenedCallback(new MySqlSessionMode(builder.NoBackslashEscapes).OnOpenedAsync)
            .Build();
        Target = new DatabaseTarget(builder.Database, builder.Server, (int)builder.Port);
        _password = builder.Password;
        _sizes = new MySqlStatementSize(builder.NoBackslashEscapes);
        Schema = new MySqlSchemaDialect(Dialect);
    }

    /// <inheritdoc />
    public string Name => "mysql";

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
    public IMigrationDialect Migrations { get; } = new MySqlMigrationDialect();

    /// <inheritdoc />
    public DatabaseErrorKind Classify(Exception error) => MySqlErrors.Classify(error);

    /// <inheritdoc />
    public ConstraintViolation? DescribeConstraintViolation(Exception error) => MySqlConstraintErrors.Describe(error);

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

    /// <inheritdoc />
    public SchemaDialect Schema { get; }

    /// <inheritdoc />
    public DbConnection CreateConnection() => _dataSource.CreateConnection();

    /// <summary>Disposes the driver's data source, closing its pooled connections.</summary>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>Disposes the driver's data source, closing its pooled connections.</summary>
    public void Dispose() => _dataSource.Dispose();

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
