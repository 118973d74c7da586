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
    /// Prepares a kept read on the server, the second time it runs on its connection (once per text and connection:
    /// <see cref="HeldCommands.Take"/>). When the server answers with an error and the connection still works, the
    /// read runs unprepared: if it then fails, the error was the statement's, which the read reports as usual; if it
    /// succeeds and the provider calls the error a refusal to prepare at all, preparing stops (<see cref="StopPreparing"/>).
    /// </summary>
    /// <remarks>
    /// MySqlConnector's preparing takes no cancellation and no command timeout: a prepare waiting on a table's metadata lock
    /// (an ALTER in progress) waits as long as the server lets it (<c>lock_wait_timeout</c>).
    /// </remarks>
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
    /// A read the server refused to prepare ran unprepared without error, and the refusal was one of preparing at all
    /// (<see cref="Providers.IDatabaseProvider.RefusesPreparing"/>: a limit on prepared statements reached, a proxy without
    /// them): this executor's reads (its database's, one per tenant database) stay unprepared from now on, logged once.
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
