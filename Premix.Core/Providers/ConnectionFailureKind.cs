namespace Premix.Providers;

/// <summary>
/// Why a connection could not be opened, as the engine's provider reads its driver's error
/// (<see cref="IDatabaseProvider.DescribeConnectionFailure"/>); carried by <see cref="DatabaseConnectionException"/>.
/// </summary>
public enum ConnectionFailureKind
{
    /// <summary>Anything else (a TLS failure, a file that is not a database): the reason says what. Not worth trying again.</summary>
    Other,

    /// <summary>
    /// Nothing accepted the connection at the host and port (refused, an unknown host, no route): the server is down,
    /// restarting, or the address is wrong. Worth trying again.
    /// </summary>
    Unreachable,

    /// <summary>No answer within the connect timeout (a firewall dropping packets, a server that hangs). Worth trying again later.</summary>
    TimedOut,

    /// <summary>The server answered but takes no connection now (starting up, shutting down, too many connections; with several hosts, none is of the kind asked for, as during a failover). Worth trying again.</summary>
    ServerUnavailable,

    /// <summary>The server refused the user name or password, or the user may not connect to the database.</summary>
    AuthenticationFailed,

    /// <summary>The server has no database by that name; on SQLite, the file (or its folder) does not exist and was not to be created.</summary>
    DatabaseNotFound,

    /// <summary>
    /// The server is at its connection limit, its own or the user's (MariaDB 1040 and 1203, PostgreSQL 53300). Worth
    /// trying again a few times (<see cref="ResilienceOptions.MaxRetries"/>), not for long: every attempt loads a server
    /// that is already saturated.
    /// </summary>
    ConnectionLimit,
}
