using System.Data.Common;
using Premix.Providers;

namespace Premix.Execution;

/// <summary>Opens the connections Premix takes from the driver's pool, and names the pool when it ran dry.</summary>
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
        catch (Exception e) when (provider.IsPoolExhausted(e) && provider.Connections is { MaxPoolSize: { } size } settings)
        {
            throw new ConnectionPoolExhaustedException(provider.Name, size, settings.ConnectTimeout, e);
        }
    }
}
