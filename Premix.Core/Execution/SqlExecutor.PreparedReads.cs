using System.Data;
using System.Data.Common;

namespace Premix.Execution;

/// <summary>
/// Reads prepared on the server from their second run on a held connection, for a provider that says it is worth it
/// (<see cref="Providers.IDatabaseProvider.PreparesRepeatedReads"/>: MariaDB and MySQL); the commands are the ones
/// <see cref="HeldCommands"/> keeps.
/// </summary>
internal sealed partial class SqlExecutor
{
    private int _preparesRepeatedReads = provider.PreparesRepeatedReads ? 1 : 0; // 0 for good once the server refused (StopPreparing)

    /// <summary>
    /// Prepares a kept read on the server, the second time it runs on its connection or later (for a statement already
    /// prepared there the driver only looks it up). When the server answers with an error and the connection still works,
    /// the read runs unprepared, and only if it succeeds was the error the preparing's (<see cref="StopPreparing"/>), not
    /// the statement's, which the read then reports as usual.
    /// </summary>
    /// <returns>The server's refusal, or <see langword="null"/> when the statement is prepared.</returns>
    private static async ValueTask<DbException?> TryPrepareAsync(bool async, DbConnection connection, DbCommand dbCommand, CancellationToken cancellationToken)
    {
        try
        {
            if (async)
            {
                await dbCommand.PrepareAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                dbCommand.Prepare();
            }

            return null;
        }
        catch (DbException e) when (connection.State == ConnectionState.Open && !cancellationToken.IsCancellationRequested)
        {
            return e;
        }
    }

    /// <summary>
    /// A read the server refused to prepare ran unprepared without error: the refusal was the server's (a limit on prepared
    /// statements reached, a proxy without them), so this executor's reads stay unprepared from now on, logged once.
    /// </summary>
    /// <remarks>The server's message is scrubbed of the read's sensitive values as a failure's is (it names the statement at most).</remarks>
    private void StopPreparing(Command command, DbException refusal)
    {
        if (Interlocked.Exchange(ref _preparesRepeatedReads, 0) == 1)
        {
            Log.PrepareRefused(logger, command.Operation, command.Entity, refusal.GetType().Name, SensitiveData.Scrub(refusal.Message, command.Parameters?.SensitiveValues() ?? []));
        }
    }
}
