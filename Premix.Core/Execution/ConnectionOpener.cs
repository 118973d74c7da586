using System.Data.Common;
using System.Net.Sockets;
using Premix.Providers;

namespace Premix.Execution;

/// <summary>
/// Opens the connections Premix takes from the driver's pool. A connection that does not open becomes a
/// <see cref="DatabaseConnectionException"/> naming the engine, server and database (as the provider describes them)
/// with the password masked, or a <see cref="ConnectionPoolExhaustedException"/> when the pool ran dry.
/// </summary>
internal static class ConnectionOpener
{
    public static async ValueTask OpenAsync(bool async, DbConnection connection, IDatabaseProvider provider, CancellationToken cancellationToken)
    {
        try
        {
            if (async)
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                connection.Open();
            }
        }
        catch (Exception e) when (provider.IsPoolExhausted(e))
        {
            if (provider.Connections is { MaxPoolSize: { } size } settings)
            {
                throw new ConnectionPoolExhaustedException(provider.Name, size, settings.ConnectTimeout, e);
            }

            throw;
        }
        catch (Exception e) when (e is DbException or SocketException or IOException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // The connection's own timeout when the provider was given no settings: a TimedOut names it, and the retry
            // window makes room for one more such wait.
            throw Failed(provider, e, connectTimeout: connection.ConnectionTimeout > 0 ? TimeSpan.FromSeconds(connection.ConnectionTimeout) : null);
        }
    }

    /// <summary>The exception for a connection that could not be had, as the provider describes <paramref name="error"/>
    /// (or as <paramref name="kind"/> when given: a connection that opened but cannot be used), with the provider's connect
    /// timeout, or <paramref name="connectTimeout"/> when it has none.</summary>
    public static DatabaseConnectionException Failed(IDatabaseProvider provider, Exception error, ConnectionFailureKind? kind = null, TimeSpan? connectTimeout = null)
    {
        var failure = provider.DescribeConnectionFailure(error);
        string[] secrets = failure.Password is { } password ? [password] : [];
        var reason = SensitiveData.Scrub(failure.Reason, secrets);
        // The driver's exception must not carry the password either: a masked copy stands in when any message held it.
        var inner = secrets.Length > 0 && Messages(error).Any(m => m.Contains(secrets[0], StringComparison.Ordinal))
            ? new RedactedDatabaseException(SensitiveData.Scrub(string.Join(" ", Messages(error)), secrets), error)
            : error;
        return new DatabaseConnectionException(provider.Name, kind ?? failure.Kind, reason, failure.Target, provider.Connections?.ConnectTimeout ?? connectTimeout, inner);
    }

    private static IEnumerable<string> Messages(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e.Message;
        }
    }
}
