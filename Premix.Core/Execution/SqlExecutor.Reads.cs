using System.Data.Common;
using Premix.Providers;

namespace Premix.Execution;

/// <summary>
/// Reads on a session (<see cref="ISqlSession"/>): the executor takes the session's connection, runs the read, gives the
/// connection back, and retries a transient failure as the session and the resilience options allow.
/// </summary>
internal sealed partial class SqlExecutor
{
    /// <summary>
    /// Runs <paramref name="read"/> on the session's connection and gives the connection back. A failure the engine calls
    /// transient is retried when the session allows it (no transaction of its own yet, which a new connection would not
    /// see); a lost connection is discarded first, so the retry opens another.
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TResult> ReadAsync<TResult, TState>(bool async, ISqlSession session, TState state, SessionRead<TResult, TState> read, CancellationToken cancellationToken)
    {
        var connection = session.TryGetOpenConnection(out var open) ? open : await session.AcquireAsync(async, cancellationToken).ConfigureAwait(false);
        try
        {
            return await read(this, async, connection, session.Transaction, state, cancellationToken).ConfigureAwait(false);
        }
        catch (DatabaseCommandException e) when (e.IsTransient && !cancellationToken.IsCancellationRequested)
        {
            var retry = retries.RetriesReads && session.CanRetryReads; // asked first: discarding ends the session's transaction
            await DiscardIfLostAsync(async, session, connection, e).ConfigureAwait(false);
            if (!retry)
            {
                throw;
            }

            return await retries.RetryAsync(
                async, "read", e, static (async, s, token) => s.Executor.AttemptReadAsync(async, s.Session, s.State, s.Read, token), (Executor: this, Session: session, State: state, Read: read), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await session.ReleaseAsync(async, connection).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the entities of a plan's SELECT through <see cref="ReadAsync{TResult, TState}"/> (retried when transient).</summary>
    public ValueTask<List<T>> ReadEntitiesAsync<T>(bool async, ISqlSession session, Command command, Func<DbDataReader, object> readRow, int limit, CancellationToken cancellationToken) =>
        ReadAsync(async, session, (Command: command, ReadRow: readRow, Limit: limit), static (executor, async, connection, transaction, s, token) => executor.ReadEntitiesAsync<T>(async, connection, transaction, s.Command, s.ReadRow, s.Limit, token), cancellationToken);

    /// <summary>Reads one value through <see cref="ReadAsync{TResult, TState}"/> (retried when transient).</summary>
    public ValueTask<T?> ScalarAsync<T>(bool async, ISqlSession session, Command command, CancellationToken cancellationToken) =>
        ReadAsync(async, session, command, static (executor, async, connection, transaction, command, token) => executor.ScalarAsync<T>(async, connection, transaction, command, token), cancellationToken);

    // A retry: the same read on the session's connection (a new one after a lost one), without retrying itself.
    private async ValueTask<TResult> AttemptReadAsync<TResult, TState>(bool async, ISqlSession session, TState state, SessionRead<TResult, TState> read, CancellationToken cancellationToken)
    {
        var connection = await session.AcquireAsync(async, cancellationToken).ConfigureAwait(false);
        try
        {
            return await read(this, async, connection, session.Transaction, state, cancellationToken).ConfigureAwait(false);
        }
        catch (DatabaseCommandException e) when (e.ErrorKind == DatabaseErrorKind.ConnectionLost)
        {
            await DiscardIfLostAsync(async, session, connection, e).ConfigureAwait(false);
            throw;
        }
        finally
        {
            await session.ReleaseAsync(async, connection).ConfigureAwait(false);
        }
    }

    private static ValueTask DiscardIfLostAsync(bool async, ISqlSession session, DbConnection connection, DatabaseCommandException error) =>
        error.ErrorKind == DatabaseErrorKind.ConnectionLost ? session.DiscardAsync(async, connection) : ValueTask.CompletedTask;
}
