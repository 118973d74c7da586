using System.Data.Common;
using System.Net.Sockets;
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
        _causalReads = true;
    }

    /// <summary>Waits on a connection just opened until its node has caught up, when asked for and the engine needs it.</summary>
    private async ValueTask StartCausalReadsAsync(bool async, DbConnection connection, CancellationToken cancellationToken)
    {
        if (!_causalReads || runtime.Provider.CausalReadsSql is not { } sql)
        {
            return;
        }

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
        catch (Exception e) when (e is DbException or IOException or SocketException && !cancellationToken.IsCancellationRequested)
        {
            // A node that left its cluster refuses it: the connection is not used, and a read runs again on another one.
            var kind = executor.Retries.Kind(e);
            await DiscardAsync(async, connection).ConfigureAwait(false);
            throw executor.Wrap("CausalReads", null, sql, e, kind == DatabaseErrorKind.Permanent ? kind : DatabaseErrorKind.ConnectionLost);
        }
    }
}
