using System.Net.Sockets;
using MySqlConnector;

namespace Premix.Providers.MySql;

/// <summary>Which MySQL and MariaDB errors are worth another attempt, by server error number and by what broke the socket.</summary>
internal static class MySqlErrors
{
    private const int ConnectionKilled = 1927; // MariaDB's ER_CONNECTION_KILLED, which MySqlErrorCode does not name
    private const int ServerGoneAway = 2006; // client errors, as some servers and proxies report them
    private const int LostConnection = 2013;

    public static DatabaseErrorKind Classify(Exception error) => error switch
    {
        // A deadlock rolls the transaction back; a lock wait timeout only the statement (Premix then rolls back the rest).
        MySqlException { ErrorCode: MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout or MySqlErrorCode.XARBDeadlock } => DatabaseErrorKind.Transient,
        MySqlException { ErrorCode: MySqlErrorCode.ServerShutdown or MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.AbortingConnection or MySqlErrorCode.NetReadInterrupted or MySqlErrorCode.NetWriteInterrupted } => DatabaseErrorKind.ConnectionLost,
        MySqlException { ErrorCode: (MySqlErrorCode)ConnectionKilled or (MySqlErrorCode)ServerGoneAway or (MySqlErrorCode)LostConnection } => DatabaseErrorKind.ConnectionLost,
        MySqlException { InnerException: IOException or SocketException or EndOfStreamException } => DatabaseErrorKind.ConnectionLost,
        MySqlException { IsTransient: true } => DatabaseErrorKind.Transient,
        IOException or SocketException => DatabaseErrorKind.ConnectionLost, // a socket MySqlConnector did not wrap
        _ => DatabaseErrorKind.Permanent,
    };
}
