using System.Data.Common;
using System.Globalization;
using Premix.Execution;
using Premix.Plans;

namespace Premix.Tracking;

/// <summary>
/// Writes a long run of inserts of one entity type through the engine's bulk channel (<see cref="Providers.IBulkInsertDialect"/>,
/// PostgreSQL's binary COPY, MySQL's MySqlBulkCopy), in the commit's transaction (a channel that needs one is not used
/// without it). COPY returns no keys, so generated keys are taken first from the key's sequence in one query and written
/// to the objects (through the undo log, so a failure restores them), then sent with the rows; the children inserted after
/// take them like any key read back. Validation and hooks ran before, as for any write; a failure aborts the transaction
/// like any failed statement.
/// </summary>
internal sealed class BulkInsertWriter(SqlExecutor executor, DbConnection connection, DbTransaction? transaction, UndoLog undo)
{
    /// <summary>
    /// Writes <paramref name="group"/>, inserts of one plan whose parents' keys are already set; returns <see langword="false"/>,
    /// having written nothing, when the table turns out (on first use) unable to take them (<see cref="Providers.IBulkInsertTable.CanWrite"/>).
    /// </summary>
    public async ValueTask<bool> WriteAsync(bool async, List<WriteOperation> group, CancellationToken cancellationToken)
    {
        var plan = group[0].Entry.Plan;
        var table = executor.BulkInsertOf(plan)!;
        // A schema tenant's COPY reaches its schema only through the transaction's search_path (SqlExecutor.EnterTenantAsync).
        if (transaction is null && (table.NeedsTransaction || executor.TenantPrefix is not null))
        {
            return false;
        }

        var entity = plan.Entity.Name;
        var entities = group.ConvertAll(o => o.Entry.Entity);
        var parameters = new BulkRowsParameters(entities.Count, plan.Properties, entities);
        if (!table.IsDescribed)
        {
            // Once per table and data source: the columns' types and the key's sequence, as the server has them.
            await executor.ExecuteDriverAsync(connection, new Command("DescribeBulkInsert", entity, table.DescribeSql, null), token => table.DescribeAsync(async, connection, transaction, token), cancellationToken).ConfigureAwait(false);
            if (!table.CanWrite)
            {
                return false;
            }
        }

        if (plan.SetGeneratedKey is not null)
        {
            // The keys are given to the objects while their query is in flight (SqlExecutor.Apply), as a write's answer is: an
            // entity refusing its key fails that statement (span, CommandFailed, recorders), not a commit that reported it run.
            var command = new Command("AllocateKeys", entity, table.KeysSql!, parameters);
            undo.EnsureRoomFor(entities.Count);
            await executor.ExecuteManyAsync(async, connection, transaction, command, entities.Count, readKeys: true, cancellationToken, apply: (i, key) => WrittenValues.SetKey(plan, entities[i], key
                ?? throw new PremixException($"Taking {entities.Count} keys of {entity} from the sequence of {plan.GeneratedKey!.Column} returned {i}."), undo)).ConfigureAwait(false);
        }

        var operation = string.Create(CultureInfo.InvariantCulture, $"BulkInsert ({entities.Count} rows)");
        await executor.ExecuteDriverAsync(connection, new Command(operation, entity, table.Sql, parameters), token => table.WriteAsync(async, connection, transaction, entities, token), cancellationToken).ConfigureAwait(false);
        return true;
    }
}
