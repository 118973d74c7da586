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

    public static DatabaseErrorKind Classify(Exception error) => error switch
    {
        // A statement over max_allowed_packet fails again however often it is sent. The server refuses it (and ends the
        // session), or closes the socket while it is still being sent, which MySqlConnector reports naming the setting.
        MySqlException { ErrorCode: MySqlErrorCode.PacketTooLarge } => DatabaseErrorKind.Permanent,
        MySqlException { ErrorCode: MySqlErrorCode.None } e when e.Message.Contains("'max_allowed_packet'", StringComparison.Ordinal) => DatabaseErrorKind.Permanent,

        // A deadlock rolls the transaction back; a lock wait timeout only the statement (Premix then rolls back the rest).
        MySqlException { ErrorCode: MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout or MySqlErrorCode.XARBDeadlock } => DatabaseErrorKind.Transient,
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
        MySqlException { ErrorCode: MySqlErrorCode.ConnectionCountError or MySqlErrorCode.TooManyUserConnections or MySqlErrorCode.ServerShutdown } => ConnectionFailureKind.ServerUnavailable,

        // MySqlConnector reports both as "unable to connect"; a timeout carries the cancelled wait inside.
        MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost, InnerException: MySqlException { ErrorCode: MySqlErrorCode.CommandTimeoutExpired } } => ConnectionFailureKind.TimedOut,
        MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost } => ConnectionFailureKind.Unreachable,
        MySqlException { InnerException: SocketException { SocketErrorCode: SocketError.TimedOut } } => ConnectionFailureKind.TimedOut,
        MySqlException { InnerException: IOException or SocketException or EndOfStreamException } => ConnectionFailureKind.Unreachable,
        IOException or SocketException => ConnectionFailureKind.Unreachable,
        _ => ConnectionFailureKind.Other,
    };
}
