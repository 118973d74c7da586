using System.Net.Sockets;
using Npgsql;

namespace Premix.Providers.PostgreSql;

/// <summary>
/// Which PostgreSQL errors are worth another attempt, by SQLSTATE (see PostgreSQL's appendix "Error Codes"), and what a
/// connection that did not open ran into.
/// </summary>
internal static class PostgreSqlErrors
{
    public static DatabaseErrorKind Classify(Exception error) => error switch
    {
        // serialization_failure, deadlock_detected, lock_not_available: the transaction was refused, the server is fine.
        PostgresException { SqlState: "40001" or "40P01" or "55P03" } => DatabaseErrorKind.Transient,

        // admin_shutdown (pg_terminate_backend), crash_shutdown, cannot_connect_now, and the connection_exception class.
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" } => DatabaseErrorKind.ConnectionLost,
        PostgresException { SqlState: var state } when state.StartsWith("08", StringComparison.Ordinal) => DatabaseErrorKind.ConnectionLost,
        PostgresException => DatabaseErrorKind.Permanent,

        // Npgsql's own errors around a broken or silent socket (a reset, a closed stream, a timeout).
        NpgsqlException { InnerException: IOException or SocketException or TimeoutException } => DatabaseErrorKind.ConnectionLost,
        NpgsqlException { IsTransient: true } => DatabaseErrorKind.ConnectionLost,
        _ => DatabaseErrorKind.Permanent,
    };

    /// <summary>What an error thrown while opening a connection means.</summary>
    public static ConnectionFailureKind ClassifyOpen(Exception error) => error switch
    {
        // invalid_catalog_name: no database by that name.
        PostgresException { SqlState: "3D000" } => ConnectionFailureKind.DatabaseNotFound,

        // invalid_authorization_specification (an unknown role, a pg_hba.conf rejection), invalid_password, and
        // insufficient_privilege (no CONNECT privilege on the database).
        PostgresException { SqlState: "28000" or "28P01" or "42501" } => ConnectionFailureKind.AuthenticationFailed,

        // too_many_connections: the server's or the role's limit, kept apart from the server being away.
        PostgresException { SqlState: "53300" } => ConnectionFailureKind.ConnectionLimit,

        // cannot_connect_now (starting up), admin or crash shutdown.
        PostgresException { SqlState: "57P03" or "57P01" or "57P02" } => ConnectionFailureKind.ServerUnavailable,
        PostgresException => ConnectionFailureKind.Other,
        NpgsqlException { InnerException: TimeoutException } => ConnectionFailureKind.TimedOut,
        NpgsqlException { InnerException: SocketException { SocketErrorCode: SocketError.TimedOut } } => ConnectionFailureKind.TimedOut,
        NpgsqlException { InnerException: SocketException or IOException } => ConnectionFailureKind.Unreachable,
        SocketException or IOException => ConnectionFailureKind.Unreachable,
        _ => ConnectionFailureKind.Other,
    };
}
