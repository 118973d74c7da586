using System.Data.Common;
using System.Globalization;
using Premix.Execution;
using Premix.Providers;

namespace Premix.Tracking;

/// <summary>
/// Sends the ordered writes of one commit in as few round trips as the engine allows: with a DbBatch, consecutive
/// inserts of one entity type share a round trip (their parents' keys are known by then), and so do runs of updates and
/// deletes; without one (SQLite), or where the driver cannot report what is needed (see <see cref="ISqlDialect"/>),
/// statement by statement. Applies what the database answered: generated keys, version
/// bumps, and a <see cref="ConcurrencyException"/> for any update or delete that matched no row.
/// </summary>
internal sealed class CommitWriter(SqlExecutor executor, ISqlDialect dialect, DbConnection connection, DbTransaction transaction, CommitPlanner planner, UndoLog undo)
{
    /// <summary>Statements per round trip, so a huge commit does not build one enormous packet.</summary>
    private const int MaxBatch = 500;

    public async ValueTask WriteAsync(bool async, List<WriteOperation> operations, CancellationToken cancellationToken)
    {
        var batching = connection.CanCreateBatch;
        for (var start = 0; start < operations.Count;)
        {
            var count = batching ? GroupLength(operations, start) : 1;
            var group = operations.GetRange(start, count);
            start += count;
            foreach (var operation in group)
            {
                if (operation.Kind == WriteKind.Insert)
                {
                    planner.FixForeignKeys(operation.Entry, undo); // parents were inserted before: their keys are known now
                }
            }

            var commands = group.Select(ToCommand).ToList();
            var readKeys = group[0].Kind == WriteKind.Insert && group[0].Entry.Plan.SetGeneratedKey is not null;
            var results = count == 1
                ? [await SendOneAsync(async, commands[0], readKeys, cancellationToken).ConfigureAwait(false)]
                : await executor.ExecuteBatchAsync(async, connection, transaction, commands, readKeys, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < group.Count; i++)
            {
                Apply(group[i], commands[i], results[i]);
            }
        }
    }

    // Inserts of one type go together (later types may need their keys); updates and deletes go together in order.
    private int GroupLength(List<WriteOperation> operations, int start)
    {
        var first = operations[start];
        var unbatchable = first.Kind == WriteKind.Insert
            ? first.Entry.Plan.SetGeneratedKey is not null && !dialect.BatchesInsertsReturningKeys
            : !dialect.BatchReportsRowsPerStatement;
        if (unbatchable)
        {
            return 1;
        }

        var end = start + 1;
        while (end < operations.Count && end - start < MaxBatch && (first.Kind == WriteKind.Insert
            ? operations[end].Kind == WriteKind.Insert && operations[end].Entry.Plan == first.Entry.Plan
            : operations[end].Kind != WriteKind.Insert))
        {
            end++;
        }

        return end - start;
    }

    private static Command ToCommand(WriteOperation operation)
    {
        var plan = operation.Entry.Plan;
        var statement = operation.Kind switch
        {
            WriteKind.Insert => plan.Insert,
            WriteKind.Update => plan.Updates.For(operation.ChangedMask),
            _ => plan.Delete,
        };
        return new Command(statement.Name, plan.Entity.Name, statement.Sql, EntityParameters.ForEntity(statement, operation.Entry.Entity));
    }

    private async ValueTask<object?> SendOneAsync(bool async, Command command, bool readKey, CancellationToken cancellationToken) =>
        readKey
            ? await executor.ScalarAsync<object>(async, connection, transaction, command, cancellationToken).ConfigureAwait(false)
            : await executor.ExecuteAsync(async, connection, transaction, command, cancellationToken).ConfigureAwait(false);

    private void Apply(WriteOperation operation, Command command, object? result)
    {
        var entity = operation.Entry.Entity;
        var plan = operation.Entry.Plan;
        if (operation.Kind == WriteKind.Insert)
        {
            if (plan.SetGeneratedKey is not null)
            {
                var key = result ?? throw new PremixException($"Insert of {plan.Entity.Name} returned no generated key. Check that {plan.GeneratedKey!.Column} is an identity/auto-increment column.");
                undo.Set(plan.SetGeneratedKey, entity, plan.KeyParameters[0].ReadRaw(entity), Convert.ChangeType(key, plan.GeneratedKey!.ValueType, CultureInfo.InvariantCulture));
            }

            return;
        }

        if (Convert.ToInt32(result, CultureInfo.InvariantCulture) == 0)
        {
            throw new ConcurrencyException(command.Operation, plan.Entity.ClrType, KeyText.Describe(plan, entity));
        }

        if (operation.Kind == WriteKind.Update && plan.SetVersion is not null)
        {
            var version = plan.VersionBinding!.ReadRaw(entity)!;
            undo.Set(plan.SetVersion, entity, version, version is long l ? l + 1 : (object)((int)version + 1));
        }
    }
}
