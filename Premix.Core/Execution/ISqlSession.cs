using System.Data.Common;

namespace Premix.Execution;

/// <summary>Where a statement runs: a unit of work's connection and transaction, or a connection of its own.</summary>
internal interface ISqlSession
{
    SqlExecutor Executor { get; }

    DbTransaction? Transaction { get; }

    ValueTask<DbConnection> AcquireAsync(bool async, CancellationToken cancellationToken);

    /// <summary>The transaction a writing statement joins: a unit of work starts its own on first use; standalone statements run without one.</summary>
    ValueTask<DbTransaction?> WriteTransactionAsync(bool async, CancellationToken cancellationToken);

    ValueTask ReleaseAsync(bool async, DbConnection connection);
}
