using System.Net.Sockets;
using Npgsql;

namespace Premix.Providers.PostgreSql;

/// <summary>Which PostgreSQL errors are worth another attempt, by SQLSTATE (see PostgreSQL's appendix "Error Codes").</summary>
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
}
