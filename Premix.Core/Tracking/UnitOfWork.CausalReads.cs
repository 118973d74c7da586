using System.Data;
using System.Data.Common;
using System.Net.Sockets;
using Premix.Execution;
using Premix.Providers;

namespace Premix.Tracking;

/// <summary>
/// Causal reads (<see cref="IUnitOfWork.UseCausalReads"/>): on a multi-primary cluster, each connection the unit of work
/// opens first waits until its node has applied every transaction the cluster committed before, so the operation's reads
/// on one node see a commit made on another.
/// </summary>
internal sealed partial class UnitOfWork
{
    // Off by default: the wait costs a statement and a cluster round trip per connection opened.
    private bool _causalReads;

    public void UseCausalReads()
    {
        ThrowIfDisposed();
        var provider = runtime.Provider;
        if (provider.CausalReadsSql is null)
        {
            return; // every read already sees every commit
        }

        if (provider.CausalReadsRefusal is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        if (_connection is { State: ConnectionState.Open })
        {
            throw new InvalidOperationException(
                "UseCausalReads() was called while this unit of work holds a connection (in a transaction, or an operation of several statements): the reads on that connection would not wait for the cluster. Call it first, before the unit of work's first statement.");
        }

        _causalReads = true;
    }

    /// <summary>
    /// Waits on a connection just opened until its node has caught up, when asked for and the engine needs it. A
    /// connection that has not waited is never kept: whatever goes wrong, it is discarded, so the next operation opens
    /// another one (and waits there) instead of reading on it.
    /// </summary>
    private ValueTask StartCausalReadsAsync(bool async, DbConnection connection, CancellationToken cancellationToken) =>
        _causalReads && runtime.Provider.CausalReadsSql is { } sql
            ? RunOnOpenAsync(async, connection, "CausalReads", sql, cancellationToken)
            : ValueTask.CompletedTask;

    /// <summary>
    /// Runs <paramref name="sql"/> on a connection just opened, before anything is read on it; a refusal worth another
    /// attempt is a connection that could not be had (the connection is discarded), so a read runs again on a new one.
    /// </summary>
    private async ValueTask RunOnOpenAsync(bool async, DbConnection connection, string operation, string sql, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            if (async)
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                command.ExecuteNonQuery();
            }
        }
        catch (Exception e)
        {
            await DiscardAsync(async, connection).ConfigureAwait(false);
            if (e is DbException or IOException or SocketException && !cancellationToken.IsCancellationRequested
                && executor.Retries.Kind(e) != DatabaseErrorKind.Permanent)
            {
                // A node that left its cluster (or broke, or timed out waiting), or a standby, refuses it. Nothing was read
                // yet, so this counts as a connection that could not be had: a read runs again on a new connection.
                throw ConnectionOpener.Failed(runtime.Provider, e, ConnectionFailureKind.ServerUnavailable);
            }

            if (e is DbException && !cancellationToken.IsCancellationRequested)
            {
                throw executor.Wrap(operation, null, sql, e, DatabaseErrorKind.Permanent); // MySQL (no wsrep_sync_wait)
            }

            throw;
        }
    }
}
