namespace Premix.Providers;

/// <summary>
/// What a provider tells Premix about a connection that did not open: which database it was, what kind of failure, and
/// the driver's reason. Premix turns it into a <see cref="DatabaseConnectionException"/>, masking the password wherever
/// the driver repeated it.
/// </summary>
/// <remarks>A class, not a record: its generated <c>ToString</c> would print the password.</remarks>
public sealed class ConnectionFailure
{
    /// <summary>Describes a failed open.</summary>
    /// <param name="kind">What went wrong, as far as the driver's error tells.</param>
    /// <param name="reason">The driver's reason, in its words (for example <c>Connection refused</c>).</param>
    /// <param name="target">The host, port and database (or, for SQLite, the full path of the file) the connection was for.</param>
    /// <param name="password">The connection string's password, so Premix can mask it if the driver repeated it; never shown.</param>
    public ConnectionFailure(ConnectionFailureKind kind, string reason, DatabaseTarget target, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(target);
        Kind = kind;
        Reason = reason;
        Target = target;
        Password = string.IsNullOrEmpty(password) ? null : password;
    }

    /// <summary>What went wrong.</summary>
    public ConnectionFailureKind Kind { get; }

    /// <summary>The driver's reason, in its words.</summary>
    public string Reason { get; }

    /// <summary>The host, port and database, or the SQLite file.</summary>
    public DatabaseTarget Target { get; }

    internal string? Password { get; }

    /// <summary>
    /// The driver's reason in its words: the message of <paramref name="error"/>, followed by the socket's when the driver
    /// wrapped one (<c>Failed to connect to 127.0.0.1:5432: Connection refused</c>).
    /// </summary>
    public static string ReasonOf(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.InnerException is System.Net.Sockets.SocketException socket && !error.Message.Contains(socket.Message, StringComparison.Ordinal)
            ? $"{error.Message.TrimEnd('.')}: {socket.Message}"
            : error.Message;
    }
}
