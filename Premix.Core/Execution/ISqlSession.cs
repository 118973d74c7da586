using System.Data.Common;

namespace Premix.Execution;

/// <summary>Where a statement runs: a unit of work's connection and transaction, or a connection of its own.</summary>
internal interface ISqlSession
{
    SqlExecutor Executor { get; }

    DbTransaction? Transaction { get; }

    ValueTask<DbConnection> AcquireAsync(bool async, CancellationToken cancellationToken);

    ValueTask ReleaseAsync(bool async, DbConnection connection);
}
