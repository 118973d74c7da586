using System.Data.Common;

namespace Premix.Migrations;

/// <summary>Runs DDL statements one command at a time, saying which statement failed and what ran before it.</summary>
internal static class SchemaCommands
{
    public static async Task RunEachAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        for (var i = 0; i < statements.Count; i++)
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.Transaction = transaction;
                command.CommandText = statements[i];
                try
                {
                    await MigrationTracing.TraceAsync("Sync", command.CommandText, () => command.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false);
                }
                catch (DbException error)
                {
                    throw new SchemaChangeException(statements, i, transaction is not null, error);
                }
            }
        }
    }
}
