using System.Net.Sockets;
using MySqlConnector;

namespace Premix.Providers.MySql;

/// <summary>
/// Which MySQL and MariaDB errors are worth another attempt, by server error number and by what broke the socket, and
/// what a connection that did not open ran into.
/// </summary>
internal static class MySqlErrors
{
    private const int ConnectionKilled = 1927; // MariaDB's ER_CONNECTION_KILLED, which MySqlErrorCode does not name
    private const int ServerGoneAway = 2006; // client errors, as some servers and proxies report them
    private const int LostConnection = 2013;
    private const int WsrepNotReady = 1047; // ER_UNKNOWN_COM_ERROR, which Galera answers while its node is not in the primary component
    private const int ErrorDuringCommit = 1180; // ER_ERROR_DURING_COMMIT

    public static DatabaseErrorKind Classify(Exception error) => error switch
    {
        // A statement over max_allowed_packet fails again however often it is sent. The server refuses it (and ends the
        // session), or closes the socket while it is still being sent, which MySqlConnector reports naming the setting.
        MySqlException { ErrorCode: MySqlErrorCode.PacketTooLarge } => DatabaseErrorKind.Permanent,
        MySqlException { ErrorCode: MySqlErrorCode.None } e when e.Message.Contains("'max_allowed_packet'", StringComparison.Ordinal) => DatabaseErrorKind.Permanent,

        // A deadlock rolls the transaction back; a lock wait timeout only the statement (Premix then rolls back the rest).
        // On a Galera cluster 1213 is also how a node reports that certification refused the transaction at COMMIT
        // ("Deadlock found…"), or that a transaction replicated from another node aborted it ("WSREP detected
        // deadlock/conflict…"). Either way it was applied nowhere: certification is deterministic, every node reaches
        // the same verdict on the same write set, and a refused one is discarded by all of them. So even at COMMIT the
        // outcome is known, and the unit of work is replayed as a whole.
        MySqlException { ErrorCode: MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout or MySqlErrorCode.XARBDeadlock } => DatabaseErrorKind.Transient,

        // A Galera node that left the primary component (partitioned, or isolated from its peers) refuses statements with
        // 1047 ("WSREP has not yet prepared node for application use"), and a COMMIT in flight then fails with 1180 naming
        // the provider's status. The write set may have reached the primary component before the node left, and been
        // committed there: such a COMMIT's outcome is unknown, as when the connection breaks. Both are taken as a lost
        // connection: the session is not used again (another one may reach a node of the cluster), a read or a commit
        // that failed before COMMIT runs again, and a failed COMMIT goes to the unknown-outcome path.
        // 1047 is also plain MySQL's "Unknown command", a permanent error: only Galera's wording ("WSREP …") is a lost node.
        // Every 1180 is: whatever the server's wording, it failed during COMMIT, so the outcome is unknown.
        MySqlException { ErrorCode: (MySqlErrorCode)WsrepNotReady } e when e.Message.Contains("WSREP", StringComparison.Ordinal) => DatabaseErrorKind.ConnectionLost,
        MySqlException { ErrorCode: (MySqlErrorCode)ErrorDuringCommit } => DatabaseErrorKind.ConnectionLost,
        MySqlException { ErrorCode: MySqlErrorCode.ServerShutdown or MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.AbortingConnection or MySqlErrorCode.NetReadInterrupted or MySqlErrorCode.NetWriteInterrupted } => DatabaseErrorKind.ConnectionLost,
        MySqlException { ErrorCode: (MySqlErrorCode)ConnectionKilled or (MySqlErrorCode)ServerGoneAway or (MySqlErrorCode)LostConnection } => DatabaseErrorKind.ConnectionLost,
        MySqlException { InnerException: IOException or SocketException or EndOfStreamException } => DatabaseErrorKind.ConnectionLost,
        MySqlException { IsTransient: true } => DatabaseErrorKind.Transient,
        IOException or SocketException => DatabaseErrorKind.ConnectionLost, // a socket MySqlConnector did not wrap
        _ => DatabaseErrorKind.Permanent,
    };

    /// <summary>What an error thrown while opening a connection means.</summary>
    public static ConnectionFailureKind ClassifyOpen(Exception error) => error switch
    {
        MySqlException { ErrorCode: MySqlErrorCode.UnknownDatabase } => ConnectionFailureKind.DatabaseNotFound,
        MySqlException { ErrorCode: MySqlErrorCode.AccessDenied or MySqlErrorCode.DatabaseAccessDenied } => ConnectionFailureKind.AuthenticationFailed,
        // The server's max_connections (1040), its max_user_connections (1203), an account's MAX_USER_CONNECTIONS (1226).
        MySqlException { ErrorCode: MySqlErrorCode.ConnectionCountError or MySqlErrorCode.TooManyUserConnections or MySqlErrorCode.UserLimitReached } => ConnectionFailureKind.ConnectionLimit,
        MySqlException { ErrorCode: MySqlErrorCode.ServerShutdown } => ConnectionFailureKind.ServerUnavailable,

        // A Galera node out of the primary component takes the connection but refuses Premix's first statement on it.
        MySqlException { ErrorCode: (MySqlErrorCode)WsrepNotReady } e when e.Message.Contains("WSREP", StringComparison.Ordinal) => ConnectionFailureKind.ServerUnavailable,

        // MySqlConnector reports both as "unable to connect"; a timeout carries the cancelled wait inside.
        MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost, InnerException: MySqlException { ErrorCode: MySqlErrorCode.CommandTimeoutExpired } } => ConnectionFailureKind.TimedOut,
        MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost } => ConnectionFailureKind.Unreachable,
        MySqlException { InnerException: SocketException { SocketErrorCode: SocketError.TimedOut } } => ConnectionFailureKind.TimedOut,
        MySqlException { InnerException: IOException or SocketException or EndOfStreamException } => ConnectionFailureKind.Unreachable,
        IOException or SocketException => ConnectionFailureKind.Unreachable,
        _ => ConnectionFailureKind.Other,
    };
}
