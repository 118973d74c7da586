using System.Data;
using System.Data.Common;
using Premix.Diagnostics;
using Premix.Execution;

namespace Premix.Tracking;

/// <summary>
/// The unit of work as a session (<see cref="ISqlSession"/>): a pooled connection taken per operation and given back
/// right after, one connection held from the first write of a transaction to its end, and losing them.
/// </summary>
/// <remarks>
/// Holding a connection only while it is needed lets a web request read, work without the database, and commit while
/// other requests use the pool meanwhile, as EF Core's DbContext does. A connection is held longer only while a
/// transaction is open (statements must join it), while an operation of several statements runs (a stream, an Include),
/// and, for a database that lives only as long as its connections (SQLite in memory), for the whole unit of work.
/// </remarks>
internal sealed partial class UnitOfWork
{
    // The unit of work's connection object, opened (taken from the pool) per operation and closed (given back) after it,
    // as EF Core does: one object for the whole unit of work instead of one per operation. Counted while open.
    private DbConnection? _connection;
    private int _counted;

    // Operations of several statements under way (a stream, a query with Include): their statements share one connection.
    private int _holds;

    /// <summary>The transaction writes run in: the one a raw statement already started, or a new one.</summary>
    private async ValueTask<DbTransaction> BeginTransactionAsync(bool async, DbConnection connection, CancellationToken cancellationToken)
    {
        if (Transaction is null && _ambient is null)
        {
            Transaction = async ? await connection.BeginTransactionAsync(isolationLevel, cancellationToken).ConfigureAwait(false) : connection.BeginTransaction(isolationLevel);
            await executor.EnterTenantAsync(async, connection, Transaction, cancellationToken).ConfigureAwait(false);
        }

        return Transaction ??= _ambient!.Transaction!; // in a test scope, the lease's savepoint stands for BEGIN
    }

    /// <summary>Raw statements that write run in the unit of work's transaction, started on first use and ended by the commit.</summary>
    public async ValueTask<DbTransaction?> WriteTransactionAsync(bool async, CancellationToken cancellationToken)
    {
        var connection = await AcquireAsync(async, cancellationToken).ConfigureAwait(false);
        return await BeginTransactionAsync(async, connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The connection held (in a transaction, or by an operation of several statements), or one from the pool.</summary>
    public ValueTask<DbConnection> AcquireAsync(bool async, CancellationToken cancellationToken) => AcquireAsync(async, causalReads: true, cancellationToken);

    /// <summary>As <see cref="AcquireAsync(bool, CancellationToken)"/>; without <paramref name="causalReads"/> (the
    /// commit, whose writes the cluster certifies anyway) a connection opened skips the causal reads wait.</summary>
    private async ValueTask<DbConnection> AcquireAsync(bool async, bool causalReads, CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        if (_ambient is not null)
        {
            return await LeaseAsync(async, cancellationToken).ConfigureAwait(false);
        }

        if (_connection is { State: ConnectionState.Broken } broken)
        {
            // It broke after its statement had answered (a server that ends the session after an error it reported):
            // drivers refuse to reopen such a connection, so it is replaced; a transaction it held is gone with it.
            await DiscardAsync(async, broken).ConfigureAwait(false);
            ThrowIfUnusable();
        }

        var connection = _connection ??= executor.Provider.CreateConnection();
        if (connection.State != ConnectionState.Open)
        {
            await ConnectionOpener.OpenAsync(async, connection, executor.Provider, cancellationToken).ConfigureAwait(false);
            executor.Retries.Reached();
            if (Interlocked.Exchange(ref _counted, 1) == 0)
            {
                Telemetry.ConnectionHeld(executor.Telemetry, +1);
            }

            if (_disposed)
            {
                // Disposed by another thread while this one opened: the connection goes back, not kept (disposing twice is harmless).
                Uncount();
                await DisposeAsync(async, connection).ConfigureAwait(false);
                ThrowIfDisposed();
            }

            if (causalReads)
            {
                await StartCausalReadsAsync(async, connection, cancellationToken).ConfigureAwait(false);
            }

            if (_readsWritableServer && runtime.Provider.WritableServerCheckSql is { } writable)
            {
                await RunOnOpenAsync(async, connection, "WritableServerCheck", writable, cancellationToken).ConfigureAwait(false);
            }
        }

        return connection;
    }

    public bool CanRetryReads => Transaction is null;

    private void ThrowIfUnusable()
    {
        ThrowIfDisposed();
        if (_transactionLost)
        {
            throw new InvalidOperationException(
                "This unit of work lost its connection while its transaction was open: the statements it ran in that transaction were rolled back by the database. Start a new unit of work.");
        }
    }

    public async ValueTask DiscardAsync(bool async, DbConnection connection)
    {
        if (_ambient is not null)
        {
            await DiscardLeaseAsync(async).ConfigureAwait(false);
            return;
        }

        if (Interlocked.CompareExchange(ref _connection, null, connection) != connection)
        {
            return; // given back or discarded already
        }

        Uncount();
        // A transaction begun before (raw writes) ended with the connection: its statements are gone, so the unit of
        // work refuses to go on rather than carry on without them.
        _transactionLost = Transaction is not null;
        Transaction = null;
        await DisposeAsync(async, connection).ConfigureAwait(false);
    }

    /// <summary>The connection, when one is held and open (in a transaction, or within an operation of several statements), without an await.</summary>
    public bool TryGetOpenConnection(out DbConnection connection)
    {
        ThrowIfDisposed();
        if (_ambient is not null)
        {
            return TryGetLeased(out connection);
        }

        connection = _connection!;
        return _connection?.State == ConnectionState.Open;
    }

    /// <summary>Gives the connection back to the pool after a statement, unless a transaction or an operation still needs it.</summary>
    public ValueTask ReleaseAsync(bool async, DbConnection connection) =>
        _ambient is not null ? ReleaseLeaseAsync(async)
        : ReferenceEquals(connection, _connection) && Transaction is null && _holds == 0 && !_keepsConnection && !_disposed
            ? ReturnToPoolAsync(async, connection)
            : ValueTask.CompletedTask;

    public async ValueTask<ConnectionHold> HoldConnectionAsync(CancellationToken cancellationToken = default)
    {
        await HoldAsync(true, cancellationToken).ConfigureAwait(false);
        return new ConnectionHold(LetGoHeldAsync);
    }

    public ConnectionHold HoldConnection()
    {
        HoldAsync(false, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return new ConnectionHold(LetGoHeldAsync);
    }

    private async ValueTask HoldAsync(bool async, CancellationToken cancellationToken)
    {
        using var usage = Enter(runsSql: false);
        Hold();
        try
        {
            await AcquireAsync(async, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await LetGoAsync(async).ConfigureAwait(false);
            throw;
        }
    }

    // A hold that outlives its unit of work has nothing left to give back.
    private async ValueTask LetGoHeldAsync(bool async)
    {
        if (_disposed)
        {
            return;
        }

        using var usage = Enter(runsSql: false);
        await LetGoAsync(async).ConfigureAwait(false);
    }

    /// <summary>Keeps the connection of the next statement for the ones after it, until <see cref="LetGoAsync"/>.</summary>
    public void Hold() => _holds++;

    /// <summary>Ends a <see cref="Hold"/>: the connection goes back to the pool unless a transaction still needs it.</summary>
    public ValueTask LetGoAsync(bool async)
    {
        _holds--;
        return _connection is { } connection ? ReleaseAsync(async, connection) : ValueTask.CompletedTask;
    }

    // Closing hands the driver's session back to its pool; the object stays, to be opened again by the next operation.
    private async ValueTask ReturnToPoolAsync(bool async, DbConnection connection)
    {
        if (connection.State == ConnectionState.Closed)
        {
            return;
        }

        if (async)
        {
            await connection.CloseAsync().ConfigureAwait(false);
        }
        else
        {
            connection.Close();
        }

        Uncount();
    }

    // Disposes the connection object when the unit of work is disposed. The one who takes it out of _connection disposes
    // it, so a dispose racing an operation closes it once.
    private ValueTask CloseConnectionAsync(bool async)
    {
        if (_ambient is not null)
        {
            return ReturnLeaseAsync(async);
        }

        var connection = Interlocked.Exchange(ref _connection, null);
        if (connection is null)
        {
            return ValueTask.CompletedTask;
        }

        Uncount();
        return DisposeAsync(async, connection);
    }

    private void Uncount()
    {
        if (Interlocked.Exchange(ref _counted, 0) == 1)
        {
            Telemetry.ConnectionHeld(executor.Telemetry, -1);
        }
    }

    private static ValueTask DisposeAsync(bool async, DbConnection connection)
    {
        if (async)
        {
            return connection.DisposeAsync();
        }

        connection.Dispose();
        return ValueTask.CompletedTask;
    }
}
