using System.Net.Sockets;
using Npgsql;

namespace Premix.Providers.PostgreSql;

/// <summary>
/// Which PostgreSQL errors are worth another attempt, by SQLSTATE (see PostgreSQL's appendix "Error Codes"), and what a
/// connection that did not open ran into, on one host or on several (a multi-host connection string, <c>Host=a,b</c>).
/// </summary>
internal static class PostgreSqlErrors
{
    public static DatabaseErrorKind Classify(Exception error) => error switch
    {
        // serialization_failure, deadlock_detected, lock_not_available: the transaction was refused, the server is fine.
        PostgresException { SqlState: "40001" or "40P01" or "55P03" } => DatabaseErrorKind.Transient,

        // read_only_sql_transaction: the server took no write, so nothing was written. Without the connection it came on,
        // it may be a standby's before its promotion: worth another attempt (ClassifyReadOnlyRefusal tells the cases apart).
        // A write that reached a read replica through Premix's routing is a ReplicaWriteException before this counts.
        PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction } => DatabaseErrorKind.Transient,

        // admin_shutdown (pg_terminate_backend), crash_shutdown, cannot_connect_now, and the connection_exception class.
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" } => DatabaseErrorKind.ConnectionLost,
        PostgresException { SqlState: var state } when state.StartsWith("08", StringComparison.Ordinal) => DatabaseErrorKind.ConnectionLost,
        PostgresException => DatabaseErrorKind.Permanent,

        // Npgsql's own errors around a broken or silent socket (a reset, a closed stream, a timeout).
        NpgsqlException { InnerException: IOException or SocketException or TimeoutException } => DatabaseErrorKind.ConnectionLost,
        NpgsqlException { IsTransient: true } => DatabaseErrorKind.ConnectionLost,
        _ => DatabaseErrorKind.Permanent,
    };

    /// <summary>What an error thrown while opening a connection to <paramref name="hosts"/> hosts (1 but for <c>Host=a,b</c>) means.</summary>
    public static ConnectionFailureKind ClassifyOpen(Exception error, int hosts = 1) => error switch
    {
        // invalid_catalog_name: no database by that name.
        PostgresException { SqlState: "3D000" } => ConnectionFailureKind.DatabaseNotFound,

        // invalid_authorization_specification (an unknown role, a pg_hba.conf rejection), invalid_password, and
        // insufficient_privilege (no CONNECT privilege on the database).
        PostgresException { SqlState: "28000" or "28P01" or "42501" } => ConnectionFailureKind.AuthenticationFailed,

        // too_many_connections: the server's or the role's limit, kept apart from the server being away.
        PostgresException { SqlState: "53300" } => ConnectionFailureKind.ConnectionLimit,

        // cannot_connect_now (starting up), admin or crash shutdown; PgBouncer with no server behind it.
        PostgresException { SqlState: "57P03" or "57P01" or "57P02" } => ConnectionFailureKind.ServerUnavailable,
        PostgresException e when IsPoolerWithoutServer(e) => ConnectionFailureKind.ServerUnavailable,
        PostgresException => ConnectionFailureKind.Other,

        // A multi-host data source (Host=a,b) that skipped every host, each known offline or not of the kind Target Session
        // Attributes asks for: no primary now, as during a failover. Npgsql gives no code for it, only this message.
        NpgsqlException e when IsNoSuitableHost(e) => ConnectionFailureKind.ServerUnavailable,

        // A multi-host data source whose hosts failed in different ways, one exception each.
        NpgsqlException { InnerException: AggregateException failed } => ClassifyHosts(failed, hosts),
        NpgsqlException { InnerException: TimeoutException } => ConnectionFailureKind.TimedOut,
        NpgsqlException { InnerException: SocketException { SocketErrorCode: SocketError.TimedOut } } => ConnectionFailureKind.TimedOut,
        NpgsqlException { InnerException: SocketException or IOException } => ConnectionFailureKind.Unreachable,
        SocketException or IOException => ConnectionFailureKind.Unreachable,
        _ => ConnectionFailureKind.Other,
    };

    /// <summary>
    /// The driver's reason for a connection that did not open: for a multi-host data source, what each host answered, or
    /// why none was tried; otherwise as <see cref="ConnectionFailure.ReasonOf"/> gives it.
    /// </summary>
    public static string ReasonOfOpen(Exception error) => error switch
    {
        NpgsqlException e when IsNoSuitableHost(e) =>
            $"{e.Message.TrimEnd('.')}: each host was last seen offline or not of the kind Target Session Attributes asks for (no primary now, as during a failover)",
        NpgsqlException { InnerException: AggregateException hosts } =>
            $"no host took the connection: {string.Join("; ", hosts.InnerExceptions.Select(ConnectionFailure.ReasonOf))} "
            + "(any other host was skipped: last seen offline or not of the kind Target Session Attributes asks for, as during a failover)",
        _ => ConnectionFailure.ReasonOf(error),
    };

    /// <summary>
    /// Whether <paramref name="error"/> is PgBouncer's answer while it has no server to give: a connect to the server failed
    /// (the server down, or failing over), and until <c>server_login_retry</c> (15 s by default) has passed PgBouncer refuses
    /// the clients that log in meanwhile, at once, with SQLSTATE 08P01 (protocol_violation, as all its own errors) and closes
    /// their connection; clients already waiting for a server wait on. Nothing reached a server, so whatever the client was
    /// about to send may be sent again. Not "server conn crashed?", which PgBouncer sends when a server connection died under
    /// a transaction, a COMMIT perhaps.
    /// </summary>
    public static bool IsPoolerWithoutServer(Exception error) =>
        error is PostgresException { SqlState: PostgresErrorCodes.ProtocolViolation } e
        && (e.MessageText.StartsWith("pgbouncer cannot connect to server", StringComparison.Ordinal) // another version's wording
            || e.MessageText.StartsWith("server login has been failing", StringComparison.Ordinal)); // PgBouncer 1.18's, a FATAL at login

    /// <summary>Whether <paramref name="error"/> says the server refused a write because it takes none (a standby).</summary>
    public static bool IsReadOnlyRefusal(Exception error) => error is PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction };

    /// <summary>
    /// What a write refused as read-only (25006) on <paramref name="connection"/> means, by what the server reports to every
    /// session (PostgreSQL 14 and later; Npgsql keeps it in <see cref="NpgsqlConnection.PostgresParameters"/>, updated with
    /// each answer): permanent when the server is not in recovery (<c>in_hot_standby</c> off) and its sessions start
    /// read-only (<c>default_transaction_read_only</c> on, set for the server, the database, the role or the session), which
    /// no failover changes; worth another attempt otherwise: a standby, which a failover may promote, a transaction begun
    /// on a standby just promoted, or a server that reports neither (before PostgreSQL 14, or a pooler that does not pass
    /// them on), which cannot be told apart from a standby without a round trip on a connection whose transaction failed.
    /// </summary>
    public static DatabaseErrorKind ClassifyReadOnlyRefusal(NpgsqlConnection connection) =>
        IsReadOnlyByConfiguration(connection) ? DatabaseErrorKind.Permanent : DatabaseErrorKind.Transient;

    /// <summary>Whether the server of <paramref name="connection"/> says it is no standby and its sessions start read-only.</summary>
    public static bool IsReadOnlyByConfiguration(NpgsqlConnection connection) =>
        connection.State == System.Data.ConnectionState.Open
        && connection.PostgresParameters is var reported
        && reported.GetValueOrDefault(InHotStandby) == "off"
        && reported.GetValueOrDefault(DefaultTransactionReadOnly) == "on";

    /// <summary>Why a write refused as read-only by a server read-only by configuration is not retried, and what to change.</summary>
    public const string ReadOnlyByConfiguration =
        " The server is not in recovery (in_hot_standby is off) and its sessions start read-only (default_transaction_read_only is on, "
        + "set for the server, the database, the role or the session): no failover will make it take the write, so it was not retried. "
        + "Point the connection string at a server that takes writes, or turn default_transaction_read_only off "
        + "(ALTER DATABASE ... RESET default_transaction_read_only, ALTER ROLE ..., or the connection string's Options).";

    // The settings PostgreSQL 14 and later report to the client whenever they change (GUC_REPORT).
    private const string InHotStandby = "in_hot_standby";
    private const string DefaultTransactionReadOnly = "default_transaction_read_only";

    /// <summary>Fails with <c>57P03</c> (cannot_connect_now) on a server in recovery (a standby), does nothing on a primary.</summary>
    public const string WritableServerCheckSql =
        "DO $$ BEGIN IF pg_is_in_recovery() THEN RAISE EXCEPTION USING ERRCODE = '57P03', MESSAGE = 'the server is a standby (in recovery): it may not have applied every commit yet'; END IF; END $$";

    // Npgsql's NpgsqlMultiHostDataSource, when no host was tried.
    private const string NoSuitableHost = "No suitable host was found";

    /// <summary>Whether <paramref name="error"/> is a multi-host data source's refusal to try any host, each skipped by its last known state.</summary>
    public static bool IsNoSuitableHost(Exception error) =>
        error is NpgsqlException { InnerException: null } e && e.Message.StartsWith(NoSuitableHost, StringComparison.Ordinal);

    // Several hosts failed: a failure that would repeat (credentials, a missing database) decides; otherwise the hosts
    // are down or not ready, worth another attempt, unless each ran out of time. A host that answered but is not what
    // Target Session Attributes asks for (a standby before its promotion) adds no exception: with fewer exceptions than
    // hosts, a primary may come, so even a dead host that timed out leaves it worth another attempt.
    private static ConnectionFailureKind ClassifyHosts(AggregateException hosts, int hostCount)
    {
        var allTimedOut = hosts.InnerExceptions.Count >= hostCount;
        foreach (var host in hosts.InnerExceptions)
        {
            switch (ClassifyOpen(host))
            {
                case ConnectionFailureKind.TimedOut:
                    break;
                case ConnectionFailureKind.Unreachable or ConnectionFailureKind.ServerUnavailable:
                    allTimedOut = false;
                    break;
                case var lasting:
                    return lasting;
            }
        }

        return allTimedOut ? ConnectionFailureKind.TimedOut : ConnectionFailureKind.ServerUnavailable;
    }
}
