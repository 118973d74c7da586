using Premix.Execution;

namespace Premix.Tracking;

/// <summary>
/// Gives an entity that insert-or-ignore left out (its row already existed, found by a unique index) the key of that row
/// when new children of this commit take their foreign key from it: without it they would reference the key the entity
/// was given (another row's, or none). Read in the commit's transaction, after the ignored insert, and only then: an ignored
/// entity without children keeps its unassigned key and costs nothing more.
/// </summary>
internal static class IgnoredParentKeys
{
    /// <exception cref="PremixException">The row the insert conflicted with is no longer there to read (deleted in between, or invisible to the transaction's snapshot).</exception>
    public static async ValueTask ReadAsync(bool async, SqlExecutor executor, System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, CommitPlanner planner, UndoLog undo, List<WriteOperation> upserts, CancellationToken cancellationToken)
    {
        foreach (var operation in upserts)
        {
            var (entry, request) = (operation.Entry, operation.Entry.Upsert!);
            if (request.Written || Plans.UpsertStatements.IsKey(request.Target) || !planner.HasDependents(entry.Entity))
            {
                continue;
            }

            var plan = entry.Plan;
            var statement = plan.Upserts.KeyRead(request.Target);
            var command = new Command(statement.Name, plan.Entity.Name, statement.Sql, EntityParameters.ForEntity(statement, entry.Entity));
            var keys = await executor.ReadRowsAsync<object>(async, connection, transaction, command, FirstColumn, limit: 1, cancellationToken).ConfigureAwait(false);
            var key = keys.Count == 1 ? keys[0] : throw new PremixException(
                $"InsertOrIgnore of {plan.Entity.Name}: its row was left out because a row with the same {Describe(plan, request.Target)} exists, but that row could not be read back for the new children that reference it "
                + "(deleted meanwhile, not visible to this transaction's snapshot, or, on MySQL and MariaDB, whose ON DUPLICATE KEY "
                + "fires on any unique index, the row that was there matched another unique index, not this one). Nothing was written.");
            WrittenValues.SetKey(plan, entry.Entity, key, undo);
        }
    }

    private static readonly RowReader FirstColumn = RowReader.Compiled(static reader => reader.GetValue(0));

    private static string Describe(Plans.EntityPlan plan, int target) =>
        string.Join(", ", plan.Upserts.TargetProperties(target).Select(p => p.Property.Name));
}
