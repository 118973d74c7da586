namespace Premix;

/// <summary>
/// No pooled connection became free in time: every connection of the pool was held (by units of work, usually) for
/// longer than the connect timeout. The message names the pool size and the timeout, and what to change.
/// </summary>
public sealed class ConnectionPoolExhaustedException : PremixException
{
    /// <summary>Creates the exception for a pool of <paramref name="maxPoolSize"/> that stayed full for <paramref name="timeout"/>.</summary>
    public ConnectionPoolExhaustedException(string system, int maxPoolSize, TimeSpan timeout, Exception innerException)
        : base($"No connection to {system} became free within {timeout.TotalSeconds:0.###} s: all {maxPoolSize} connections of the pool were in use. "
            + "Raise MaxPoolSize or ConnectTimeout (ConfigureConnectionPool, or the connection string), or keep units of work open for less time (docs/configuration.md).", innerException)
    {
        MaxPoolSize = maxPoolSize;
        Timeout = timeout;
    }

    /// <summary>The pool's size.</summary>
    public int MaxPoolSize { get; }

    /// <summary>How long the request waited for a free connection.</summary>
    public TimeSpan Timeout { get; }
}
