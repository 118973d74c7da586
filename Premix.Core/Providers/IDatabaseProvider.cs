using System.Data.Common;

namespace Premix.Providers;

/// <summary>
/// One database engine as Premix sees it: how to open a connection and how to speak its SQL.
/// </summary>
/// <remarks>
/// Each engine ships its own provider package (<c>Premix.Providers.Sqlite</c>, <c>.PostgreSql</c>, <c>.MySql</c>),
/// so an application only pulls in the driver it runs.
/// </remarks>
public interface IDatabaseProvider
{
    /// <summary>The engine's name as OpenTelemetry spells <c>db.system</c>, for example <c>postgresql</c>.</summary>
    string Name { get; }

    /// <summary>Everything about the engine's SQL that differs from the others.</summary>
    ISqlDialect Dialect { get; }

    /// <summary>
    /// Whether the driver's asynchronous methods only wrap its synchronous ones (Microsoft.Data.Sqlite: the database is
    /// in-process), so Premix calls the synchronous ones for row-by-row work and saves a task per statement and row.
    /// </summary>
    bool CompletesSynchronously => false;

    /// <summary>
    /// Whether the driver parses a statement once per command object and keeps it parsed while the command lives and its
    /// connection stays open (Microsoft.Data.Sqlite), with no cache of its own across commands: Premix then keeps the read
    /// commands of a connection a unit of work holds open (<see cref="KeepsHeldCommands"/>), instead of parsing the
    /// statement at every read. The default is <see langword="false"/>: the driver caches statements itself (Npgsql's
    /// <c>Max Auto Prepare</c>), or parsing is the server's (MySqlConnector's text protocol).
    /// </summary>
    /// <remarks>
    /// A provider that says <see langword="true"/> makes the promises of <see cref="KeepsHeldCommands"/>.
    /// </remarks>
    bool KeepsCommandsParsed => false;

    /// <summary>
    /// Whether a read run again on a connection a unit of work holds open is worth preparing on the server
    /// (<see cref="DbCommand.Prepare"/>): Premix then keeps that connection's read commands as for
    /// <see cref="KeepsCommandsParsed"/> and prepares a statement the second time it runs there, so that later runs skip the
    /// server's parse (MySqlConnector: the binary protocol). A statement run once is not prepared (preparing costs a round
    /// trip), and at most 64 texts are prepared per connection. The default is <see langword="false"/>.
    /// </summary>
    /// <remarks>
    /// The same promises as <see cref="KeepsCommandsParsed"/>, and: the next open of a pooled connection resets its session
    /// (its prepared statements go then, so they cannot pile up on the server); preparing a text already prepared on the
    /// session costs no round trip; and a failed <see cref="DbCommand.Prepare"/> leaves the command runnable unprepared.
    /// </remarks>
    bool PreparesRepeatedReads => false;

    /// <summary>
    /// Whether Premix keeps the read commands of a connection a unit of work holds open and runs each again with its
    /// parameters re-bound: their objects kept, only their values set, so a read made again on that connection makes no
    /// command and no parameter. Premix keeps them also wherever <see cref="KeepsCommandsParsed"/> or
    /// <see cref="PreparesRepeatedReads"/> is <see langword="true"/>; a provider whose driver gains nothing else from a
    /// kept command (Npgsql, which caches its statements itself) says <see langword="true"/> here alone.
    /// </summary>
    /// <remarks>
    /// A provider that keeps commands promises that a command run again with its parameters' values set again reads with the
    /// new values, a parameter's type inferred from an earlier value not sticking to a value of another type; and that its
    /// connections raise <see cref="DbConnection.StateChange"/> when they close (Premix then disposes the commands it kept).
    /// </remarks>
    bool KeepsHeldCommands => KeepsCommandsParsed || PreparesRepeatedReads;

    /// <summary>
    /// Whether <paramref name="error"/>, thrown by <see cref="DbCommand.Prepare"/> for a statement that then ran unprepared,
    /// says the server will not prepare statements at all (its limit on prepared statements reached, a proxy without them),
    /// rather than something of that statement's: Premix then stops preparing (<see cref="PreparesRepeatedReads"/>) and logs
    /// it once. The default is <see langword="false"/>.
    /// </summary>
    bool RefusesPreparing(Exception error) => false;

    /// <summary>The connection settings in effect (null when the provider was built without them, and so left the connection string as it was).</summary>
    ConnectionSettings? Connections => null;

    /// <summary>
    /// Called once with the validated model, before any connection opens, so the provider can tell its driver about the
    /// model's types (PostgreSQL registers its composite types with Npgsql). Does nothing by default.
    /// </summary>
    void UseModel(Mapping.Model model)
    {
    }

    /// <summary>Whether <paramref name="error"/>, thrown while opening a connection, says the pool had no free connection in time.</summary>
    bool IsPoolExhausted(Exception error) => false;

    /// <summary>
    /// What <paramref name="error"/>, thrown by the driver, means for trying again (the engine's deadlocks, serialization
    /// failures, busy or locked database, lost connections). The default calls every error permanent: nothing is retried.
    /// </summary>
    DatabaseErrorKind Classify(Exception error) => DatabaseErrorKind.Permanent;

    /// <summary>
    /// What <paramref name="error"/>, thrown by the driver for a statement on <paramref name="connection"/>, means for trying
    /// again, where what the connection knows of its server decides it: PostgreSQL's refused write (25006, read-only
    /// transaction) is worth another attempt from a standby that a failover may promote, not from a primary whose sessions
    /// are read-only by configuration. Premix calls it for every failed statement run through its executor, with the
    /// connection as the error left it (open unless the error broke it); a transaction's BEGIN, COMMIT and ROLLBACK, run
    /// through the driver's transaction, are classified by <see cref="Classify(Exception)"/>. The default is
    /// <see cref="Classify(Exception)"/>, so a provider that wraps another must forward both overloads (and both
    /// <c>ExplainFailure</c> overloads): forwarding only <see cref="Classify(Exception)"/> loses what the connection tells.
    /// </summary>
    DatabaseErrorKind Classify(Exception error, DbConnection connection) => Classify(error);

    /// <summary>
    /// Reads <paramref name="error"/>, thrown by the driver for a statement, as a unique or foreign-key violation: the
    /// constraint, table and columns the engine names, and its message with the values masked. Premix then throws a
    /// <see cref="UniqueConstraintException"/> or <see cref="ForeignKeyViolationException"/>. The default reads nothing:
    /// every error stays a plain <see cref="DatabaseCommandException"/>.
    /// </summary>
    ConstraintViolation? DescribeConstraintViolation(Exception error) => null;

    /// <summary>
    /// What <paramref name="error"/>, thrown by the driver for a statement, means in terms of the model and how to fix it,
    /// when the driver's own message does not say (PostgreSQL: a composite type the application's data source has no mapping
    /// for); Premix puts it in the <see cref="DatabaseCommandException"/> it throws. The default, <see langword="null"/>,
    /// keeps the driver's message.
    /// </summary>
    string? ExplainFailure(Exception error) => null;

    /// <summary>
    /// <see cref="ExplainFailure(Exception)"/> for a statement that failed on <paramref name="connection"/>, where what the
    /// connection knows of its server explains it (PostgreSQL: a write refused by a primary whose sessions are read-only by
    /// configuration). The default is <see cref="ExplainFailure(Exception)"/>.
    /// </summary>
    string? ExplainFailure(Exception error, DbConnection connection) => ExplainFailure(error);

    /// <summary>
    /// A statement that returns once the server has applied every transaction its cluster committed before it (MariaDB
    /// Galera: <c>SET STATEMENT wsrep_sync_wait = 1 FOR SELECT 1</c>), run first on each connection a unit of work opens
    /// after <see cref="IUnitOfWork.UseCausalReads"/>. The default, <see langword="null"/>, is for engines whose reads
    /// already see every commit: nothing is sent.
    /// </summary>
    string? CausalReadsSql => null;

    /// <summary>
    /// A statement that fails, with an error the provider classifies as worth another attempt, when the connection reached a
    /// server that takes no writes (PostgreSQL: a standby still in recovery); run first on each connection of a
    /// <see cref="IUnitOfWork.VerifyCommitWith"/> check. A standby may have received a COMMIT it has not applied yet, so a
    /// check reading there could find a commit that will land at the promotion "not saved" and have it run twice: the
    /// check waits for a server that takes writes instead. The default, <see langword="null"/>, sends nothing.
    /// </summary>
    string? WritableServerCheckSql => null;

    /// <summary>
    /// Why this connection string cannot give causal reads although the engine has them (<see cref="CausalReadsSql"/>),
    /// as the message of the <see cref="InvalidOperationException"/> <see cref="IUnitOfWork.UseCausalReads"/> throws;
    /// <see langword="null"/> (the default) when it can.
    /// </summary>
    string? CausalReadsRefusal => null;

    /// <summary>
    /// Whether the connection string names several servers, new connections going to one or another (MySqlConnector's
    /// multi-host <c>Server</c>): a read may then run on another server than the COMMIT before it.
    /// </summary>
    bool ReachesSeveralServers => false;

    /// <summary>The database and server the connection string names, for traces.</summary>
    DatabaseTarget Target => DatabaseTarget.Unknown;

    /// <summary>
    /// Reads <paramref name="error"/>, thrown by the driver while opening a connection: what kind of failure it is, the
    /// driver's reason, the server and database (or file) it was for, and the password Premix must mask should the driver
    /// repeat it. Premix throws a <see cref="DatabaseConnectionException"/> from it. The default calls every failure
    /// <see cref="ConnectionFailureKind.Other"/>, with the driver's message and <see cref="Target"/>.
    /// </summary>
    ConnectionFailure DescribeConnectionFailure(Exception error) => new(ConnectionFailureKind.Other, error?.Message ?? string.Empty, Target);

    /// <summary>
    /// Whether <paramref name="error"/>, thrown by the driver for a statement, says that no server took the statement for
    /// now and nothing of it reached one: a pooler in front of the database with no server behind it (PgBouncer's
    /// "server login has been failing" (1.18) or "pgbouncer cannot connect to server" (other versions) while the server is
    /// down or failing over). Premix then retries it as it
    /// retries a connection refused, for up to <see cref="ResilienceOptions.MaxUnavailableTime"/> once the server was
    /// reached, not just <see cref="ResilienceOptions.MaxRetries"/> times. The default: never.
    /// </summary>
    bool IsServerUnavailable(Exception error) => false;

    /// <summary>
    /// Called before Premix tries again after <paramref name="error"/> (a <see cref="DatabaseConnectionException"/>, or a
    /// <see cref="DatabaseCommandException"/> the provider classified as worth another attempt), so that the next attempt
    /// looks for the server again: a driver that remembers which of several servers is the primary, or holds pooled
    /// connections to a server that no longer takes writes, forgets them here (Npgsql's multi-host data source keeps each
    /// host's last known state for <c>Host Recheck Seconds</c>, 10 s by default, longer than a failover takes). Does
    /// nothing by default.
    /// </summary>
    void PrepareRetry(Exception error)
    {
    }

    /// <summary>
    /// Makes <paramref name="cancellationToken"/> stop a statement running on <paramref name="connection"/>, for drivers
    /// that do not do it themselves (Microsoft.Data.Sqlite). The default does nothing: the driver honours the token.
    /// </summary>
    CancellationTokenRegistration CancelOnToken(DbConnection connection, CancellationToken cancellationToken) => default;

    /// <summary>
    /// Whether the database lives only as long as its connections stay open (SQLite in memory, or a temporary database):
    /// a unit of work then keeps its connection for its whole lifetime instead of returning it to the pool after each
    /// operation, which would lose the database in between. The default is <see langword="false"/>.
    /// </summary>
    bool DatabaseLivesInConnections => false;

    /// <summary>
    /// The rowid of the last row inserted on <paramref name="connection"/> (open), where the engine has rowids
    /// (<see cref="ISqlDialect.HasRowIds"/>: SQLite's <c>sqlite3_last_insert_rowid</c>); <see langword="null"/> by default.
    /// </summary>
    long? LastInsertedRowId(DbConnection connection) => null;

    /// <summary>
    /// Creates a provider of the same engine, with the same connection settings, for another database
    /// (<paramref name="connectionString"/>): a tenant's database when each tenant has one (docs/multi-tenancy.md). The
    /// caller owns and disposes it.
    /// </summary>
    /// <exception cref="NotSupportedException">The provider does not offer a database per tenant (the default).</exception>
    IDatabaseProvider ForConnectionString(string connectionString) =>
        throw new NotSupportedException($"The {Name} provider ({GetType().Name}) cannot open a database per tenant: it does not implement ForConnectionString.");

    /// <summary>
    /// How this engine reaches the schema <paramref name="schema"/> of one tenant (schema per tenant, docs/multi-tenancy.md);
    /// <see langword="null"/> when the engine has no schemas to offer (the default; SQLite).
    /// </summary>
    TenantSchemaSelection? SelectTenantSchema(string schema) => null;

    /// <summary>
    /// The statement that sets <c>premix.tenant</c> to <paramref name="tenantId"/> for the current transaction only, sent in
    /// front of every command of the tenant and after its <c>BEGIN</c>, for row-level security policies to read
    /// (<c>TenantColumn(rowLevelSecurity: true)</c>, docs/multi-tenancy.md); <see langword="null"/> when the engine has no
    /// row-level security (the default).
    /// </summary>
    string? TenantSettingPrefix(string tenantId) => null;

    /// <summary>Creates a new, closed connection to the configured database.</summary>
    DbConnection CreateConnection();
}
