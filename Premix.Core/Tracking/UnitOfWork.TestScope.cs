using System.Data.Common;
using Premix.Execution;

namespace Premix.Tracking;

/// <summary>
/// The unit of work inside a test scope (Premix.Testing): its statements lease the scope's one connection instead of
/// taking pooled ones, its transaction is a savepoint in the scope's outer transaction, and it never closes the
/// connection. A lease is held exactly as a pooled connection would be: for a statement, an operation of several, or a
/// transaction.
/// </summary>
internal sealed partial class UnitOfWork
{
    // The scope active where the unit of work was begun (null, after one static read, when there is none).
    private readonly AmbientConnection? _ambient = AmbientConnection.Find(executor);
    private bool _leased;

    /// <summary>
    /// The transaction a command carries: the unit of work's own, or in a test scope the scope's outer one, which every
    /// statement on its connection must name (MySqlConnector and Microsoft.Data.Sqlite refuse a command without it).
    /// </summary>
    public DbTransaction? CommandTransaction => Transaction ?? _ambient?.Transaction;

    DbTransaction? ISqlSession.Transaction => CommandTransaction;

    private async ValueTask<DbConnection> LeaseAsync(bool async, CancellationToken cancellationToken)
    {
        if (_leased)
        {
            return _ambient!.Connection;
        }

        var connection = await _ambient!.LeaseAsync(async, cancellationToken).ConfigureAwait(false);
        _leased = true;
        return connection;
    }

    private bool TryGetLeased(out DbConnection connection)
    {
        connection = _leased ? _ambient!.Connection : null!;
        return _leased;
    }

    // Given back when no transaction or operation needs it, as a pooled connection would be.
    private ValueTask ReleaseLeaseAsync(bool async) =>
        Transaction is null && _holds == 0 && !_disposed ? ReturnLeaseAsync(async) : ValueTask.CompletedTask;

    private ValueTask ReturnLeaseAsync(bool async)
    {
        if (!_leased)
        {
            return ValueTask.CompletedTask;
        }

        _leased = false;
        return _ambient!.ReturnAsync(async);
    }

    // The scope's connection broke: a transaction begun on it is gone, as with a pooled one.
    private ValueTask DiscardLeaseAsync(bool async)
    {
        _transactionLost = Transaction is not null;
        Transaction = null;
        return ReturnLeaseAsync(async);
    }
}
