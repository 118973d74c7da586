using System.Data.Common;
using Premix.Providers;

namespace Premix.Execution;

/// <summary>
/// Statements on a session (<see cref="ISqlSession"/>): the executor takes the session's connection, runs the statement,
/// and gives the connection back. A read is retried after a transient failure as the session and the resilience options
/// allow; a write joins the session's write transaction and is never retried on its own.
/// </summary>
internal sealed partial class SqlExecutor
{
    /// <summary>
    /// Runs <paramref name="read"/> on the session's connection and gives the connection back. A failure the engine calls
    /// transient is retried when the session allows it (no transaction of its own yet, which a new connection would not
    /// see); a lost connection is discarded first, so the retry opens another.
    /// </summary>
    /// <remarks>
    /// With read replicas configured, a read outside a transaction that holds no connection goes through the
    /// <see cref="Replicas"/> router, which sends it to a replica that may serve it, or back here (<see cref="ReadOnPrimaryAsync"/>).
    /// </remarks>
    public ValueTask<TResult> ReadAsync<TResult, TState>(bool async, ISqlSession session, TState state, SessionStatement<TResult, TState> read, CancellationToken cancellationToken) =>
        Replicas is { } replicas && session.ReadsMayGoToReplicas && !session.TryGetOpenConnection(out _)
            ? replicas.ReadAsync(async, session, state, read, cancellationToken)
            : ReadOnPrimaryAsync(async, session, state, read, cancellationToken);

    /// <summary>Runs <paramref name="read"/> on the session's own connection (the primary), as <see cref="ReadAsync{TResult, TState}"/> describes.</summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TResult> ReadOnPrimaryAsync<TResult, TState>(bool async, ISqlSession session, TState state, SessionStatement<TResult, TState> read, CancellationToken cancellationToken)
    {
        if (!session.TryGetOpenConnection(out var connection))
        {
            try
            {
                connection = await session.AcquireAsync(async, cancellationToken).ConfigureAwait(false);
            }
            catch (DatabaseConnectionException e) when (e.IsTransient && retries.RetriesReads && session.CanRetryReads && !cancellationToken.IsCancellationRequested)
            {
                return await RetryReadAsync(async, session, state, read, e, cancellationToken).ConfigureAwait(false); // nothing was sent yet
            }
        }

        try
        {
            return await read(this, async, connection, session.Transaction, state, cancellationToken).ConfigureAwait(false);
        }
        catch (DatabaseCommandException e)
        {
            if (!await DiscardAfterFailedReadAsync(async, session, connection, e, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }

            return await RetryReadAsync(async, session, state, read, e, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await session.ReleaseAsync(async, connection).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> once, in the session's write transaction (a unit of work begins its own on first use,
    /// so the write lands with its commit or not at all). Never retried: its outcome may be unknown after a failure. Only
    /// a connection that did not open is opened again, as the resilience options allow: nothing was sent on it.
    /// </summary>
    public async ValueTask<TResult> WriteAsync<TResult, TState>(bool async, ISqlSession session, TState state, SessionStatement<TResult, TState> write, CancellationToken cancellationToken)
    {
        var connection = await AcquireForWriteAsync(async, session, cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await session.WriteTransactionAsync(async, cancellationToken).ConfigureAwait(false);
            return await write(this, async, connection, transaction, state, cancellationToken).ConfigureAwait(false);
        }
        catch (DatabaseCommandException e) when (Broke(connection, e))
        {
            await session.DiscardAsync(async, connection).ConfigureAwait(false);
            throw;
        }
        finally
        {
            await session.ReleaseAsync(async, connection).ConfigureAwait(false);
        }
    }

    // A failover's gap (no primary yet) or a restart is waited out here as for a read; a session whose transaction has begun
    // holds its connection, so only a write that opens the session's first connection gets here.
    private async ValueTask<DbConnection> AcquireForWriteAsync(bool async, ISqlSession session, CancellationToken cancellationToken)
    {
        try
        {
            return await session.AcquireAsync(async, cancellationToken).ConfigureAwait(false);
        }
        catch (DatabaseConnectionException e) when (retries.RetriesOpens && retries.IsRetryable(e) && session.Transaction is null && !cancellationToken.IsCancellationRequested)
        {
            return await retries.RetryAsync(async, "connect", e, static (async, session, token) => session.AcquireAsync(async, token), session, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the rows of a SELECT through <see cref="ReadAsync{TResult, TState}"/> (retried when transient).</summary>
    /// <remarks>
    /// On a connection the session already holds open (a transaction's, a held connection's), the read runs as
    /// <see cref="ReadOnPrimaryAsync"/> would run it there, in one async method instead of two
    /// (<see cref="ReadRowsAsync{T}(bool, DbConnection, DbTransaction?, Command, RowReader, int, CancellationToken, List{T}?, ISqlSession?)"/>
    /// given the session): such a read never goes to a replica, and opens nothing.
    /// </remarks>
    public ValueTask<List<T>> ReadRowsAsync<T>(bool async, ISqlSession session, Command command, RowReader rows, int limit, CancellationToken cancellationToken, List<T>? into = null) =>
        session.TryGetOpenConnection(out var connection)
            ? ReadRowsAsync(async, connection, session.Transaction, command, rows, limit, cancellationToken, into, session)
            : ReadAsync(async, session, new RowsRead<T>(command, rows, limit, into), RowsReadStatement<T>.Run, cancellationToken);

    /// <summary>
    /// What a read does when it fails on a connection of <paramref name="session"/> (<see cref="ReadOnPrimaryAsync"/>, and a
    /// read of rows on a connection held open): the connection discarded when the failure broke it; then whether the read
    /// runs again (the failure transient, the token not cancelled, and the session allowing it).
    /// </summary>
    private async ValueTask<bool> DiscardAfterFailedReadAsync(bool async, ISqlSession session, DbConnection connection, DatabaseCommandException error, CancellationToken cancellationToken)
    {
        if (error.IsTransient && !cancellationToken.IsCancellationRequested)
        {
            var retry = retries.RetriesReads && session.CanRetryReads; // asked first: discarding ends the session's transaction
            await DiscardIfBrokenAsync(async, session, connection, error).ConfigureAwait(false);
            return retry;
        }

        if (Broke(connection, error))
        {
            await session.DiscardAsync(async, connection).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>The retry of a read of rows on a held connection (<see cref="DiscardAfterFailedReadAsync"/>), as <see cref="ReadOnPrimaryAsync"/> retries it.</summary>
    private ValueTask<List<T>> RetryRowsAsync<T>(bool async, ISqlSession session, Command command, RowReader rows, int limit, List<T>? into, Exception error, CancellationToken cancellationToken) =>
        RetryReadAsync(async, session, new RowsRead<T>(command, rows, limit, into), RowsReadStatement<T>.Run, error, cancellationToken);

    /// <summary>Runs a statement that returns no rows through <see cref="WriteAsync{TResult, TState}"/>: in the session's write transaction, never retried.</summary>
    public ValueTask<int> ExecuteAsync(bool async, ISqlSession session, Command command, CancellationToken cancellationToken) =>
        WriteAsync(async, session, command, static (executor, async, connection, transaction, command, token) => executor.ExecuteAsync(async, connection, transaction, command, token), cancellationToken);

    /// <summary>Reads one value through <see cref="ReadAsync{TResult, TState}"/> (retried when transient).</summary>
    public ValueTask<object?> ScalarAsync(bool async, ISqlSession session, Command command, CancellationToken cancellationToken) =>
        ReadAsync(async, session, command, static (executor, async, connection, transaction, command, token) => executor.ScalarAsync(async, connection, transaction, command, token), cancellationToken);

    private ValueTask<TResult> RetryReadAsync<TResult, TState>(bool async, ISqlSession session, TState state, SessionStatement<TResult, TState> read, Exception error, CancellationToken cancellationToken) =>
        retries.RetryAsync(
            async, "read", error, static (async, s, token) => s.Executor.AttemptReadAsync(async, s.Session, s.State, s.Read, token), (Executor: this, Session: session, State: state, Read: read), cancellationToken);

    // A retry: the same read on the session's connection (a new one after a lost one), without retrying itself.
    private async ValueTask<TResult> AttemptReadAsync<TResult, TState>(bool async, ISqlSession session, TState state, SessionStatement<TResult, TState> read, CancellationToken cancellationToken)
    {
        var connection = await session.AcquireAsync(async, cancellationToken).ConfigureAwait(false);
        try
        {
            return await read(this, async, connection, session.Transaction, state, cancellationToken).ConfigureAwait(false);
        }
        catch (DatabaseCommandException e) when (Broke(connection, e))
        {
            await session.DiscardAsync(async, connection).ConfigureAwait(false);
            throw;
        }
        finally
        {
            await session.ReleaseAsync(async, connection).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Whether <paramref name="error"/> left <paramref name="connection"/> unusable: the engine calls it a lost connection,
    /// or the driver closed the connection (an error the server ended the session with, reported as permanent), which
    /// must then be discarded rather than reopened.
    /// </summary>
    private static bool Broke(DbConnection connection, DatabaseCommandException error) =>
        error.ErrorKind == DatabaseErrorKind.ConnectionLost || connection.State != System.Data.ConnectionState.Open;

    private static ValueTask DiscardIfBrokenAsync(bool async, ISqlSession session, DbConnection connection, DatabaseCommandException error) =>
        Broke(connection, error) ? session.DiscardAsync(async, connection) : ValueTask.CompletedTask;

    // The state of ReadRowsAsync's read: a struct of Premix's, so that ReadyToRun precompiles ReadAsync and its state machine
    // over it (over a ValueTuple, CoreLib's generic struct, they were left to the JIT at every start; docs/performance.md).
    private readonly record struct RowsRead<T>(Command Command, RowReader Rows, int Limit, List<T>? Into);

    // The read of RowsRead, made once per row type (a static lambda at each use would be too, but two uses share this one).
    private static class RowsReadStatement<T>
    {
        public static readonly SessionStatement<List<T>, RowsRead<T>> Run =
            static (executor, async, connection, transaction, s, token) => executor.ReadRowsAsync<T>(async, connection, transaction, s.Command, s.Rows, s.Limit, token, s.Into);
    }
}
