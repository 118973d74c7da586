using System.Data.Common;
using Premix.Execution;

namespace Premix.Migrations;

/// <summary>Runs DDL statements one command at a time through the executor, saying which statement failed and what ran before it.</summary>
internal static class SchemaCommands
{
    public static async Task RunEachAsync(SqlExecutor executor, DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        for (var i = 0; i < statements.Count; i++)
        {
            try
            {
                await executor.ExecuteAsync(connection, transaction, "Sync", statements[i], null, cancellationToken).ConfigureAwait(false);
            }
            catch (DatabaseCommandException error)
            {
                throw new SchemaChangeException(statements, i, transaction is not null, error);
            }
        }
    }
}
