using System.Globalization;
using Premix.Providers;

namespace Premix;

/// <summary>
/// A connection could not be opened: the server was unreachable or did not answer in time, refused the credentials,
/// has no such database, or (SQLite) the file or its folder does not exist. The message names the engine, the host and
/// port (or the file), the database and the driver's reason, never the password; the driver's exception is the
/// <see cref="Exception.InnerException"/> (a <see cref="RedactedDatabaseException"/> when its message held the password).
/// </summary>
public sealed class DatabaseConnectionException : PremixException
{
    /// <summary>Creates the exception for a connection that did not open.</summary>
    /// <param name="system">The engine, as OpenTelemetry spells <c>db.system</c> (<c>postgresql</c>, <c>mysql</c>, <c>sqlite</c>).</param>
    /// <param name="failure">What went wrong.</param>
    /// <param name="reason">The driver's reason, with no secret in it.</param>
    /// <param name="target">The host, port and database, or the SQLite file.</param>
    /// <param name="connectTimeout">The connect timeout in effect, when known, named in the message of a timeout.</param>
    /// <param name="innerException">The driver's exception.</param>
    public DatabaseConnectionException(string system, ConnectionFailureKind failure, string reason, DatabaseTarget target, TimeSpan? connectTimeout, Exception? innerException)
        : base(Describe(system, failure, reason, target ?? throw new ArgumentNullException(nameof(target)), connectTimeout), innerException)
    {
        System = system;
        Failure = failure;
        Reason = reason;
        _target = target;
        _connectTimeout = connectTimeout;
        Host = target.ServerAddress;
        Port = target.ServerPort;
        Database = string.IsNullOrEmpty(target.Namespace) ? null : target.Namespace;
    }

    private readonly DatabaseTarget _target;
    private readonly TimeSpan? _connectTimeout;

    /// <summary>The engine (<c>postgresql</c>, <c>mysql</c>, <c>sqlite</c>).</summary>
    public string System { get; }

    /// <summary>What went wrong.</summary>
    public ConnectionFailureKind Failure { get; }

    /// <summary>The driver's reason, with the password masked.</summary>
    public string Reason { get; }

    /// <summary>The host, or <see langword="null"/> for SQLite.</summary>
    public string? Host { get; }

    /// <summary>The port, or <see langword="null"/> for SQLite.</summary>
    public int? Port { get; }

    /// <summary>The database's name; for SQLite, the full path of the file.</summary>
    public string? Database { get; }

    /// <summary>The connect timeout in effect, when known: how long an attempt that <see cref="ConnectionFailureKind.TimedOut"/> waited.</summary>
    internal TimeSpan? ConnectTimeout => _connectTimeout;

    /// <summary>
    /// Whether trying again later may succeed: the server was unreachable, did not answer in time, or took no connection
    /// for now. Bad credentials, a missing database and the rest fail again until the configuration changes.
    /// </summary>
    public bool IsTransient => Failure is ConnectionFailureKind.Unreachable or ConnectionFailureKind.TimedOut or ConnectionFailureKind.ServerUnavailable
        or ConnectionFailureKind.ConnectionLimit;

    /// <summary>
    /// The same failure, after Premix kept retrying a server reached before for <paramref name="window"/>
    /// (<see cref="ResilienceOptions.MaxUnavailableTime"/>): the reason says so, since the server stayed away that long.
    /// </summary>
    internal DatabaseConnectionException AfterWaiting(TimeSpan window) =>
        new(System, Failure, $"{Reason.TrimEnd('.')}; still so when the {window.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s "
            + "of ResilienceOptions.MaxUnavailableTime given to a server reached before ran out", _target, _connectTimeout, InnerException);

    private static string Describe(string system, ConnectionFailureKind failure, string reason, DatabaseTarget target, TimeSpan? connectTimeout)
    {
        var isFile = target.ServerAddress is null;
        var where = isFile
            ? $"Could not open the {system} database '{target.Namespace}'"
            : $"Could not connect to {system} at {target.ServerAddress}{(target.ServerPort is { } port ? ":" + port.ToString(CultureInfo.InvariantCulture) : string.Empty)}"
              + (string.IsNullOrEmpty(target.Namespace) ? string.Empty : $", database '{target.Namespace}'");
        var timeout = connectTimeout is { } t ? " of " + t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s" : string.Empty;
        var (what, advice) = failure switch
        {
            ConnectionFailureKind.Unreachable => ("nothing accepted the connection", "Check that the server is running and that the host and port are right."),
            ConnectionFailureKind.TimedOut => ($"no answer within the connect timeout{timeout}",
                "Check the host, the port and any firewall between; raise ConnectTimeout (ConfigureConnectionPool, or the connection string) only for a server that is slow to answer."),
            ConnectionFailureKind.ServerUnavailable => ("the server takes no connection now", "Try again in a moment; if it lasts, check the server (starting up, shutting down, or at its connection limit; with several hosts, whether one of them is a primary)."),
            ConnectionFailureKind.AuthenticationFailed => ("the server refused the credentials", "Check the user name and password in the connection string, and that the user may connect to this database."),
            ConnectionFailureKind.DatabaseNotFound => ("the database does not exist",
                isFile ? "Check the path (Data Source) in the connection string." : "Check the database name in the connection string, or create the database."),
            ConnectionFailureKind.ConnectionLimit => ("the server is at its connection limit",
                "Try again in a moment; if it lasts, look for connections held open, lower the pool's MaxPoolSize, or raise the server's or the user's connection limit."),
            _ => ("the driver refused", "See the reason."),
        };
        return $"{where}: {what} ({reason.TrimEnd('.')}). {advice}";
    }
}
