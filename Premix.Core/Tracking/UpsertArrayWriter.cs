using System.Collections;
using System.Data.Common;
using Premix.Execution;
using Premix.Plans;

namespace Premix.Tracking;

/// <summary>
/// Writes a run of upserts (or inserts-or-ignore) of one entity and conflict target as many-row statements from one array
/// per column (<see cref="Providers.IArrayWriteDialect.UpsertFromArrays"/>, PostgreSQL), each answering every row it wrote
/// with the row's position, so answers are matched to rows by position, never by their order.
/// </summary>
/// <remarks>
/// PostgreSQL refuses to update one row twice in a statement, and one row per conflict value is how the statement places
/// its answers; so a run that names the same conflict values again is split there, and the statements are sent one after
/// another: each sees what the one before wrote, exactly as a statement per row would (the later row updates, or is
/// ignored by, the row the earlier one wrote). A run with a NULL in a conflict column (never a conflict, and nothing the
/// statement could place its answer by) is not written here (see <see cref="CanWrite"/>).
/// </remarks>
internal sealed class UpsertArrayWriter(SqlExecutor executor, DbConnection connection, DbTransaction? transaction, UndoLog undo)
{
    /// <summary>Whether each of the <paramref name="count"/> rows from <paramref name="start"/> has a value in every column of its conflict target.</summary>
    public static bool CanWrite(List<WriteOperation> operations, int start, int count)
    {
        var target = operations[start].Entry.Plan.Upserts.TargetProperties(operations[start].Entry.Upsert!.Target);
        for (var i = start; i < start + count; i++)
        {
            foreach (var binding in target)
            {
                if (binding.ReadStored(operations[i].Entry.Entity) is null)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Writes <paramref name="group"/> (see <see cref="CanWrite"/>) with <paramref name="statement"/> and applies each row's answer.</summary>
    /// <exception cref="ConcurrencyException">An upsert wrote nothing: the existing row's version differs from the entity's.</exception>
    /// <exception cref="PremixException">A written row could not be matched to the row given, by the values of its conflict columns.</exception>
    public async ValueTask WriteAsync(bool async, List<WriteOperation> group, SqlStatement statement, CancellationToken cancellationToken)
    {
        var plan = group[0].Entry.Plan;
        var target = plan.Upserts.TargetProperties(group[0].Entry.Upsert!.Target);
        undo.EnsureRoomFor(group.Count);
        for (var start = 0; start < group.Count;)
        {
            var count = DistinctRun(group, start, target);
            var rows = group.GetRange(start, count);
            start += count;
            var command = new Command(statement.Name, plan.Entity.Name, statement.Sql, new ArrayParameters(statement.Parameters, rows.ConvertAll(o => o.Entry.Entity)));
            var answers = new object?[count][];
            var unplaced = false;
            var written = new HashSet<object>();
            await executor.ExecuteManyAsync(async, connection, transaction, command, count, readKeys: false, cancellationToken, reader =>
            {
                var row = new object?[3];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i + 1) ? null : reader.GetValue(i + 1);
                }

                // A NULL position: the join could not place the row; a position answered before, or a row seen before: the join
                // placed two rows at one position or one row at two (an index whose equality differs from '=' on the values sent).
                var position = reader.IsDBNull(0) ? -1 : reader.GetInt64(0) - 1;
                if (position < 0 || position >= count || answers[position] is not null || !written.Add(reader.GetValue(row.Length + 1)))
                {
                    unplaced = true;
                }
                else
                {
                    answers[position] = row;
                }

                return row;
            },
            (i, _) =>
            {
                // Given to the entities inside the statement (SqlExecutor.Apply): an entity refusing its key fails it.
                if (unplaced)
                {
                    throw new PremixException(
                        $"{statement.Name} of {count} {plan.Entity.Name} rows wrote a row that could not be matched to one given by the values of its conflict columns "
                        + $"({string.Join(", ", target.Select(b => b.Property.Name))}): the unique index compares them otherwise than '=' on the values sent "
                        + "(a case-insensitive type or a nondeterministic collation?). Nothing was committed; upsert these entities in separate commits, one per entity.");
                }

                UpsertAnswer.Apply(rows[i].Entry, command, answers[i], undo);
            }).ConfigureAwait(false);
        }
    }

    // The rows from start up to (not including) the first whose conflict values an earlier row of the run already has.
    private static int DistinctRun(List<WriteOperation> group, int start, IReadOnlyList<ParameterBinding> target)
    {
        var seen = new HashSet<object>(StructuralEquality.Instance);
        var end = start;
        while (end < group.Count && seen.Add(ConflictValues(group[end].Entry.Entity, target)))
        {
            end++;
        }

        return end - start;
    }

    // A single column's value as it is sent, or the values of several columns as an array (compared element by element).
    private static object ConflictValues(object entity, IReadOnlyList<ParameterBinding> target)
    {
        if (target.Count == 1)
        {
            return target[0].ReadFrom(entity);
        }

        var values = new object[target.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = target[i].ReadFrom(entity);
        }

        return values;
    }

    // Values compared as the arrays they may be (byte[], several columns) element by element, anything else by Equals.
    private sealed class StructuralEquality : IEqualityComparer<object>
    {
        public static readonly StructuralEquality Instance = new();

        public new bool Equals(object? x, object? y) => StructuralComparisons.StructuralEqualityComparer.Equals(x, y);

        public int GetHashCode(object obj) => StructuralComparisons.StructuralEqualityComparer.GetHashCode(obj);
    }
}
