using System.Data;
using System.Data.Common;
using Premix.Diagnostics;
using Premix.Execution;

namespace Premix.Tracking;

/// <summary>The unit of work as a session (<see cref="ISqlSession"/>): its one connection, its transaction, and losing them.</summary>
internal sealed partial class UnitOfWork
{
    /// <summary>The transaction writes run in: the one a raw statement already started, or a new one.</summary>
    private async ValueTask<DbTransaction> BeginTransactionAsync(bool async, DbConnection connection, CancellationToken cancellationToken) =>
        Transaction ??= async
            ? await connection.BeginTransactionAsync(isolationLevel, cancellationToken).ConfigureAwait(false)
            : connection.BeginTransaction(isolationLevel);

    /// <summary>Raw statements that write run in the unit of work's transaction, started on first use and ended by the commit.</summary>
    public async ValueTask<DbTransaction?> WriteTransactionAsync(bool async, CancellationToken cancellationToken)
    {
        var connection = await AcquireAsync(async, cancellationToken).ConfigureAwait(false);
        return await BeginTransactionAsync(async, connection, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<DbConnection> AcquireAsync(bool async, CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        if (_connection is { State: ConnectionState.Broken } broken)
        {
            // It broke after its statement had answered (a server that ends the session after an error it reported):
            // drivers refuse to reopen such a connection, so it is replaced; a transaction it held is gone with it.
            await DiscardAsync(async, broken).ConfigureAwait(false);
            ThrowIfUnusable();
        }

        _connection ??= runtime.Provider.CreateConnection();
        if (_connection.State != ConnectionState.Open)
        {
            await ConnectionOpener.OpenAsync(async, _connection, runtime.Provider, cancellationToken).ConfigureAwait(false);
            if (!_connectionCounted)
            {
                _connectionCounted = true;
                Telemetry.ConnectionHeld(runtime.Telemetry, +1);
            }
        }

        return _connection;
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
        if (!ReferenceEquals(connection, _connection))
        {
            return;
        }

        _connection = null;
        ConnectionReleased();
        // A transaction begun before (raw writes) ended with the connection: its statements are gone, so the unit of
        // work refuses to go on rather than carry on without them.
        _transactionLost = Transaction is not null;
        Transaction = null;
        if (async)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            connection.Dispose();
        }
    }

    /// <summary>The connection, when it is already open (the common case after the first statement), without an await.</summary>
    public bool TryGetOpenConnection(out DbConnection connection)
    {
        ThrowIfDisposed();
        connection = _connection!;
        return _connection?.State == ConnectionState.Open;
    }

    // The unit of work keeps its connection for the whole scope.
    public ValueTask ReleaseAsync(bool async, DbConnection connection) => ValueTask.CompletedTask;

    private void ConnectionReleased()
    {
        if (_connectionCounted)
        {
            _connectionCounted = false;
            Telemetry.ConnectionHeld(runtime.Telemetry, -1);
        }
    }
}
