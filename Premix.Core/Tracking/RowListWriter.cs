using System.Data.Common;
using Premix.Execution;
using Premix.Plans;

namespace Premix.Tracking;

/// <summary>
/// Writes a run of inserts of one entity, or of its updates of one set of columns, as many-row statements
/// (<see cref="RowListStatements"/>: MySQL and MariaDB) sent together in one round trip.
/// </summary>
/// <remarks>
/// An UPDATE that lists many rows reports only how many it matched in all. So the run's updates are preceded, in the same
/// round trip, by a SAVEPOINT; when fewer rows matched than were listed, the run is rolled back to it, and the writer
/// answers <see langword="null"/>: the caller then writes the run again a row at a time, which names the row that matched
/// nothing (its <see cref="ConcurrencyException"/> rolls the whole commit back).
/// </remarks>
internal sealed class RowListWriter(SqlExecutor executor, DbConnection connection, DbTransaction transaction)
{
    private const string Savepoint = "premix_rows";

    private static readonly Command SetSavepoint = new("Savepoint", null, $"SAVEPOINT {Savepoint}", null);
    private static readonly Command RollBackToSavepoint = new("RollbackToSavepoint", null, $"ROLLBACK TO SAVEPOINT {Savepoint}", null);

    /// <summary>
    /// Writes <paramref name="group"/>. Returns per row its generated key (<paramref name="readKeys"/>) or 1 for an update
    /// that matched it; <see langword="null"/> when an update of the run matched nothing, with the run undone. Given
    /// <paramref name="applyKey"/>, each key is given to its entity inside the statements (see <c>SqlExecutor.Apply</c>).
    /// </summary>
    public async ValueTask<object?[]?> WriteAsync(bool async, List<WriteOperation> group, RowListStatements statements, bool readKeys, CancellationToken cancellationToken, Action<int, object?>? applyKey = null)
    {
        var update = group[0].Kind != WriteKind.Insert;
        var chunks = statements.Chunks(group.Count);
        var commands = new List<Command>(chunks.Count + 1);
        if (update)
        {
            commands.Add(SetSavepoint);
        }

        var entity = group[0].Entry.Plan.Entity.Name;
        var start = 0;
        foreach (var rows in chunks)
        {
            var entities = new object[rows];
            for (var i = 0; i < rows; i++)
            {
                entities[i] = group[start + i].Entry.Entity;
            }

            var statement = statements.For(rows);
            commands.Add(new Command(statement.Name, entity, statement.Sql, new RowListParameters(statements, entities)));
            start += rows;
        }

        var results = new object?[group.Count];
        var answered = await executor.ExecuteRowListsAsync(async, connection, transaction, commands, readKeys ? results : null, cancellationToken, applyKey).ConfigureAwait(false);
        if (answered == group.Count)
        {
            if (!readKeys)
            {
                Array.Fill(results, 1);
            }

            return results;
        }

        if (!update)
        {
            throw new PremixException($"The insert of {group.Count} {entity} rows returned {answered} generated keys; it must return one per row, in order.");
        }

        await executor.ExecuteAsync(async, connection, transaction, RollBackToSavepoint, cancellationToken).ConfigureAwait(false);
        return null;
    }
}
