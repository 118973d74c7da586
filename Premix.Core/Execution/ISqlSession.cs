using System.Data.Common;

namespace Premix.Execution;

/// <summary>Where a statement runs: a unit of work's connection and transaction, or a connection of its own.</summary>
internal interface ISqlSession
{
    SqlExecutor Executor { get; }

    /// <summary>
    /// Marks the session in use by one operation until the returned scope is disposed: a session used by two flows at
    /// once, or after it was disposed, refuses here, before any SQL.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The session (its unit of work, or Premix itself) was disposed.</exception>
    /// <exception cref="InvalidOperationException">Another operation on the session has not finished.</exception>
    SessionUsage Enter();

    /// <summary>Ends the use begun by <see cref="Enter"/>.</summary>
    void Leave();

    DbTransaction? Transaction { get; }

    ValueTask<DbConnection> AcquireAsync(bool async, CancellationToken cancellationToken);

    /// <summary>The transaction a writing statement joins: a unit of work starts its own on first use; standalone statements run without one.</summary>
    ValueTask<DbTransaction?> WriteTransactionAsync(bool async, CancellationToken cancellationToken);

    ValueTask ReleaseAsync(bool async, DbConnection connection);

    /// <summary>The connection, when one is already open (a unit of work's, after its first statement), without an await.</summary>
    bool TryGetOpenConnection(out DbConnection connection);

    /// <summary>Whether a failed read may run again on another connection: not once a transaction has begun, which that connection would not see.</summary>
    bool CanRetryReads { get; }

    /// <summary>
    /// Whether a read may go to a read replica: not inside a transaction, nor within an operation of several statements
    /// (an Include, a stream, a held connection), whose statements must share one server.
    /// </summary>
    bool ReadsMayGoToReplicas => Transaction is null;

    /// <summary>The position a read must see (the session's last commit, or one handed in): a replica serves it only once replayed that far.</summary>
    ReadYourWritesToken? ReadPosition => null;

    /// <summary><paramref name="connection"/> broke: it is not handed out again (the next acquire opens another).</summary>
    ValueTask DiscardAsync(bool async, DbConnection connection);
}

/// <summary>A statement on a session's connection and transaction, given the state it needs (a static lambda allocates nothing per call).</summary>
internal delegate ValueTask<TResult> SessionStatement<TResult, TState>(SqlExecutor executor, bool async, DbConnection connection, DbTransaction? transaction, TState state, CancellationToken cancellationToken);
