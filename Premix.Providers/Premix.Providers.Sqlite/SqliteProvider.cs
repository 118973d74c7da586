using System.Data.Common;
using Microsoft.Data.Sqlite;
using Premix.Migrations;

namespace Premix.Providers.Sqlite;

/// <summary>Premix on SQLite through Microsoft.Data.Sqlite, embedded in the process.</summary>
/// <remarks>
/// Disposing it clears the driver's pool of its connection string: the pooled connections' file handles close (a tenant
/// database closed by <c>UseTenants</c> leaves its file free to move or delete); a connection in use closes when given back.
/// </remarks>
public sealed class SqliteProvider : IDatabaseProvider, IServiceProvider, IDisposable, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly SqliteOpenMode _mode;
    private readonly string _password;
    private readonly bool _foreignKeysByDefault; // given on to tenants' providers (ForConnectionString)
    private ISchemaProvider? _schemaSupport; // made on first request (GetService): a start that never migrates does not load Premix.Migrations
    private object? _schemaSupportGate;

    /// <summary>Creates the provider for one SQLite database.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, for example <c>Data Source=shop.db</c>.</param>
    /// <param name="settings">The command timeout to apply where the connection string does not name one (SQLite has no sized pool and no connect timeout); null to leave it as it is.</param>
    public SqliteProvider(string connectionString, ConnectionSettings? settings = null)
        : this(connectionString, settings, SqliteForeignKeys.EnforcedByDefault)
    {
    }

    /// <summary>Creates the provider with the loaded library's foreign-keys default given rather than asked.</summary>
    /// <param name="connectionString">As the public constructor's.</param>
    /// <param name="settings">As the public constructor's.</param>
    /// <param name="foreignKeysByDefault">Whether the loaded library enforces foreign keys on a connection nobody told to (<see cref="SqliteForeignKeys.EnforcedByDefault"/>); a parameter so tests can give the answer of a library without the default.</param>
    internal SqliteProvider(string connectionString, ConnectionSettings? settings, bool foreignKeysByDefault)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _foreignKeysByDefault = foreignKeysByDefault;
        // A mapper that declares relations expects foreign keys enforced, which SQLite does only when compiled or told to.
        // Told only when needed: the keyword costs a PRAGMA on every open. A "Foreign Keys=False" is overruled either way.
        var builder = new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = foreignKeysByDefault ? null : true };
        Connections = settings is null ? null : Tune(connectionString, builder, settings);
        _connectionString = builder.ToString();
        Target = new DatabaseTarget(builder.DataSource, null, null);
        (_mode, _password) = (builder.Mode, builder.Password);
    }

    /// <inheritdoc />
    public string Name => "sqlite";

    /// <inheritdoc />
    public DatabaseTarget Target { get; }

    /// <inheritdoc />
    public ConnectionSettings? Connections { get; }

    /// <inheritdoc />
    /// <remarks>The file is named by its full path, resolved as SQLite does it (against the current directory).</remarks>
    public ConnectionFailure DescribeConnectionFailure(Exception error)
    {
        var dataSource = Target.Namespace!;
        var file = _mode == SqliteOpenMode.Memory ? dataSource : FullPath(dataSource);
        var (kind, reason) = SqliteErrors.DescribeOpen(error, file, _mode);
        return new ConnectionFailure(kind, reason, new DatabaseTarget(file, null, null), _password);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Microsoft.Data.Sqlite runs a statement to its end whatever the token says; <c>sqlite3_interrupt</c> (safe from any
    /// thread) stops it, and the statement fails with SQLITE_INTERRUPT.
    /// </remarks>
    public CancellationTokenRegistration CancelOnToken(DbConnection connection, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled && connection is SqliteConnection sqlite
            ? cancellationToken.Register(static c => SQLitePCL.raw.sqlite3_interrupt(((SqliteConnection)c!).Handle), sqlite)
            : default;

    /// <inheritdoc />
    public long? LastInsertedRowId(DbConnection connection) =>
        connection is SqliteConnection sqlite ? SQLitePCL.raw.sqlite3_last_insert_rowid(sqlite.Handle) : null;

    /// <inheritdoc />
    /// <remarks>Microsoft.Data.Sqlite runs every command synchronously; its async methods return completed tasks.</remarks>
    public bool CompletesSynchronously => true;

    /// <inheritdoc />
    /// <remarks>Microsoft.Data.Sqlite keeps a command's statements prepared until its text changes or its connection closes.</remarks>
    public bool KeepsCommandsParsed => true;

    /// <inheritdoc />
    public DatabaseErrorKind Classify(Exception error) => SqliteErrors.Classify(error);

    /// <inheritdoc />
    public ConstraintViolation? DescribeConstraintViolation(Exception error) => SqliteConstraintErrors.Describe(error);

    /// <inheritdoc />
    public ISqlDialect Dialect { get; } = new SqliteDialect();

    /// <summary>
    /// Serves Premix.Migrations' <c>ISchemaProvider</c> (schema sync, diff, scaffolding, versioned migrations), made on the
    /// first request; null for any other service. Premix.Migrations asks for it through <c>provider.SchemaSupport()</c>.
    /// </summary>
    /// <remarks>Served rather than implemented by the provider, so that a start that never touches the schema does not load Premix.Migrations.</remarks>
    /// <param name="serviceType">The service wanted: <c>typeof(ISchemaProvider)</c>.</param>
    public object? GetService(Type serviceType) =>
        serviceType == typeof(ISchemaProvider) ? LazyInitializer.EnsureInitialized(ref _schemaSupport, ref _schemaSupportGate, () => new SqliteSchemaSupport(Dialect)) : null;

    /// <inheritdoc />
    /// <remarks>
    /// In memory (<c>:memory:</c> or <c>Mode=Memory</c>) and with an empty data source (a temporary file), the database is
    /// gone once its last connection closes, and Microsoft.Data.Sqlite pools none of these connections.
    /// </remarks>
    public bool DatabaseLivesInConnections => _mode == SqliteOpenMode.Memory || Target.Namespace is "" or ":memory:";

    /// <inheritdoc />
    public DbConnection CreateConnection() => new SqliteConnection(_connectionString);

    /// <inheritdoc />
    public IDatabaseProvider ForConnectionString(string connectionString) => new SqliteProvider(connectionString, Connections, _foreignKeysByDefault);

    /// <summary>Clears Microsoft.Data.Sqlite's pool of this provider's connection string (its idle connections close now, the others when given back).</summary>
    /// <remarks>
    /// The driver keys its pools by the connection string's text, so this empties the pool of every connection in the
    /// process with this exact connection string (another Premix on the same file too): they reconnect, nothing is lost.
    /// </remarks>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <inheritdoc cref="Dispose" />
    /// <remarks>As <see cref="Dispose"/>: <c>await using</c> and a host disposing its singletons asynchronously clear the pool too.</remarks>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    // An in-memory database and a file: URI are named as written; |DataDirectory| is expanded as the driver does it.
    private static string FullPath(string dataSource)
    {
        const string DataDirectory = "|DataDirectory|";
        if (dataSource.Length == 0 || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return dataSource;
        }

        if (dataSource.StartsWith(DataDirectory, StringComparison.OrdinalIgnoreCase))
        {
            var folder = AppContext.GetData("DataDirectory") as string ?? AppContext.BaseDirectory;
            return Path.GetFullPath(Path.Join(folder, dataSource.AsSpan(DataDirectory.Length)));
        }

        return Path.GetFullPath(dataSource);
    }

    // The database is in-process: no pool to size, nothing to connect to. The timeout is also how long a statement
    // waits for another writer's lock.
    private static ConnectionSettings Tune(string connectionString, SqliteConnectionStringBuilder b, ConnectionSettings s)
    {
        var tuner = new ConnectionStringTuner(connectionString);
        var timeout = tuner.Choose(["Default Timeout", "DefaultTimeout", "Command Timeout"], (int)s.CommandTimeout.TotalSeconds, () => b.DefaultTimeout, v => b.DefaultTimeout = v);
        return s with { MaxPoolSize = null, MinPoolSize = null, IdleLifetime = null, CommandTimeout = TimeSpan.FromSeconds(timeout), KeptFromConnectionString = tuner.Kept };
    }
}
