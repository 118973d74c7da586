using Premix.Execution;

namespace Premix;

/// <summary>The liveness probe: a connection of <c>premix</c>'s provider opens and <c>SELECT 1</c> answers.</summary>
internal static class DatabaseProbe
{
    /// <summary>Throws when the database does not answer; the opener's <see cref="DatabaseConnectionException"/> masks the password.</summary>
    public static async Task AnswerAsync(IPremix premix, CancellationToken cancellationToken)
    {
        var connection = premix.Provider.CreateConnection();
        await using (connection.ConfigureAwait(false))
        {
            await ConnectionOpener.OpenAsync(true, connection, premix.Provider, cancellationToken).ConfigureAwait(false);
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = "SELECT 1";
                await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
