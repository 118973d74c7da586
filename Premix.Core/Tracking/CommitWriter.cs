using System.Data.Common;
using System.Globalization;
using Premix.Execution;
using Premix.Plans;
using Premix.Providers;

namespace Premix.Tracking;

/// <summary>
/// Sends the ordered writes of one commit in as few round trips as the engine allows: where the dialect writes rows from
/// arrays (<see cref="IArrayWriteDialect"/>, PostgreSQL), consecutive inserts or updates of one statement are one
/// statement; where it lists rows (MySQL, MariaDB), they are a few many-row statements sent together
/// (<see cref="RowListWriter"/>); otherwise, with a DbBatch, consecutive inserts of one entity type share a round trip (their parents' keys
/// are known by then), and so do runs of updates and deletes; without one (SQLite), or where the driver cannot report
/// what is needed (see <see cref="ISqlDialect"/>), statement by statement, on one command re-bound for each row of the
/// same statement. A batch stays smaller than the server's statement size limit, where it has one (MySQL's
/// <c>max_allowed_packet</c>, for which MySqlConnector sends a batch as one statement). Applies what the database answered:
/// generated keys, version bumps, and a <see cref="ConcurrencyException"/> for any update or delete that matched no row.
/// </summary>
internal sealed class CommitWriter(SqlExecutor executor, ISqlDialect dialect, DbConnection connection, DbTransaction? transaction, CommitPlanner planner, UndoLog undo, BatchBudget? budget = null, int bulkInsertThreshold = int.MaxValue)
{
    /// <summary>Statements per round trip, so a huge commit does not build one enormous packet.</summary>
    private const int MaxBatch = 500;

    /// <summary>Rows per many-row statement: arrays this long stay far below any message limit.</summary>
    private const int MaxManyRows = 10_000;

    /// <summary>
    /// Rows from which a run of upserts is written from arrays (PostgreSQL): measured interleaved against the batch of per-row
    /// statements, the many-row statement costs 1.08-1.6x at 2 rows, 1.0x at 3, 0.8-0.9x at 5-10 and 0.2x from 100.
    /// </summary>
    private const int ArrayUpsertsFrom = 3;

    // Writes before this position go a row at a time: a many-row UPDATE of them matched fewer rows than it listed.
    private int _rowByRowUntil;

    /// <summary>The form of upsert the server behind the connection takes (<see cref="IUpsertFormsDialect"/>), asked once per commit.</summary>
    private int? _upsertForm;

    public async ValueTask WriteAsync(bool async, List<WriteOperation> operations, CancellationToken cancellationToken)
    {
        // Each insert given a generated key records the key it had in the undo log: room for all of them at once, rather than
        // growing the log by doubling group after group (100,000 inserts in groups of a row list grew it to 262,144 entries).
        undo.EnsureRoomFor(GeneratedKeyInserts(operations));
        for (var start = 0; start < operations.Count;)
        {
            if (operations[start].Kind == WriteKind.Upsert)
            {
                var upserts = operations.GetRange(start, UpsertRunLength(operations, start));
                start += upserts.Count;
                Prepare(upserts);
                await WriteUpsertsAsync(async, upserts, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (BulkRun(operations, start) is > 0 and var bulkRows)
            {
                var run = Run(operations, start, bulkRows);
                Prepare(run);
                if (await new BulkInsertWriter(executor, connection, transaction, undo).WriteAsync(async, run, cancellationToken).ConfigureAwait(false))
                {
                    start += bulkRows;
                    continue;
                }
            }

            var many = ManyRowStatement(operations, start, out var count);
            var rowList = many is null && start >= _rowByRowUntil ? RowListRun(operations, start, out count) : null;
            var batched = many is null && rowList is null && connection.CanCreateBatch && Batchable(operations[start]);
            if (many is null && rowList is null)
            {
                count = batched ? GroupLength(operations, start) : SameStatementRun(operations, start, MaxBatch);
            }

            var group = Run(operations, start, count);
            start += count;
            Prepare(group);
            var readKeys = group[0].Kind == WriteKind.Insert && group[0].Entry.Plan.SetGeneratedKey is not null;
            if (many is not null)
            {
                var parameters = new ArrayParameters(many.Parameters, group.ConvertAll(o => o.Entry.Entity));
                await WriteManyAsync(async, group, new Command(many.Name, group[0].Entry.Plan.Entity.Name, many.Sql, parameters), readKeys, cancellationToken).ConfigureAwait(false);
            }
            else if (rowList is not null)
            {
                if (!await WriteRowListAsync(async, group, rowList, readKeys, cancellationToken).ConfigureAwait(false))
                {
                    _rowByRowUntil = start; // undone: written again a row at a time, which names the row that matched nothing
                    start -= count;
                }
            }
            else
            {
                await WriteEachAsync(async, group, batched, readKeys, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // One statement for the whole group: one array per column, or the rows listed one after another. What it answers is
    // given to the entities inside the statement (SqlExecutor.Apply), so an entity refusing its key fails the statement.
    private async ValueTask WriteManyAsync(bool async, List<WriteOperation> group, Command command, bool readKeys, CancellationToken cancellationToken)
    {
        undo.EnsureRoomFor(group.Count);
        await executor.ExecuteManyAsync(async, connection, transaction, command, group.Count, readKeys, cancellationToken, apply: (i, result) => Apply(group[i], command, result)).ConfigureAwait(false);
    }

    // Many-row statements for the group, in one round trip (see RowListWriter); false when an update matched nothing and was undone.
    private async ValueTask<bool> WriteRowListAsync(bool async, List<WriteOperation> group, RowListStatements statements, bool readKeys, CancellationToken cancellationToken)
    {
        undo.EnsureRoomFor(group.Count);
        // Keys are given to the entities inside the statements (SqlExecutor.Apply); an update's answer (every row matched) after.
        Action<int, object?>? applyKey = readKeys ? (i, key) => Apply(group[i], default, key) : null;
        var results = await new RowListWriter(executor, connection, transaction!).WriteAsync(async, group, statements, readKeys, cancellationToken, applyKey).ConfigureAwait(false);
        if (results is null)
        {
            return false;
        }

        for (var i = 0; applyKey is null && i < group.Count; i++)
        {
            Apply(group[i], default, results[i]); // every row written: no command to name in an error
        }

        return true;
    }

    // A statement per row: in one batch, or re-bound on one command.
    private async ValueTask WriteEachAsync(bool async, List<WriteOperation> group, bool batched, bool readKeys, CancellationToken cancellationToken)
    {
        // What the statements answer is given to the entities inside them (SqlExecutor.Apply): an entity refusing its key fails its statement.
        if (batched && group.Count > 1)
        {
            var commands = group.ConvertAll(ToCommand);
            await executor.ExecuteBatchAsync(async, connection, transaction, commands, readKeys, MatchedRowsQuery(group[0]), cancellationToken, apply: (i, answer) => Apply(group[i], commands[i], answer)).ConfigureAwait(false);
            return;
        }

        // The rows of one statement (SameStatementRun), so of one plan: bound straight from the entities, with no command per row.
        var statement = StatementOf(group[0]);
        var entity = group[0].Entry.Plan.Entity.Name;
        var byRowId = readKeys && statement == group[0].Entry.Plan.Insert ? group[0].Entry.Plan.InsertByRowId : null;
        if (readKeys)
        {
            undo.EnsureRoomFor(group.Count);
        }

        var command = new Command(statement.Name, entity, statement.Sql, null);
        await executor.ExecuteRepeatedAsync(async, connection, transaction, statement, byRowId, entity, group.ConvertAll(o => o.Entry.Entity), readKeys, cancellationToken, (i, result) => Apply(group[i], command, result)).ConfigureAwait(false);
    }

    // Each upsert answers with a row of its own (key, inserted, version): a run of them is many-row statements where the
    // dialect has them (MariaDB: RowListStatements; PostgreSQL: from arrays, see UpsertArrayWriter), otherwise shares a
    // batch where the dialect batches them (MySQL), otherwise (SQLite) one command is re-bound per row. Then an ignored parent
    // that new children reference is given the key of the row that was already there.
    private async ValueTask WriteUpsertsAsync(bool async, List<WriteOperation> group, CancellationToken cancellationToken)
    {
        var (plan, request) = (group[0].Entry.Plan, group[0].Entry.Upsert!);
        if (dialect is IRowListInsertDialect rowLists && rowLists.ReturnsKeysOfRowLists(connection)
            && plan.Upserts.RowLists(request.Target, request.IgnoreConflicts) is { } upserts)
        {
            await WriteUpsertRowsAsync(async, group, upserts, cancellationToken).ConfigureAwait(false);
        }
        else if (ArrayUpserts(group, 0, group.Count) is { } arrays)
        {
            await new UpsertArrayWriter(executor, connection, transaction, undo).WriteAsync(async, group, arrays, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // A run sized for arrays whose conflict columns Prepare left with a NULL (a foreign key) still goes in batches of MaxBatch.
            for (var start = 0; start < group.Count; start += MaxBatch)
            {
                await WriteUpsertStatementsAsync(async, group.GetRange(start, Math.Min(MaxBatch, group.Count - start)), cancellationToken).ConfigureAwait(false);
            }
        }

        await IgnoredParentKeys.ReadAsync(async, executor, connection, transaction, planner, undo, group, cancellationToken).ConfigureAwait(false);
    }

    // A statement per upsert, in one batch where the engine batches them.
    private async ValueTask WriteUpsertStatementsAsync(bool async, List<WriteOperation> group, CancellationToken cancellationToken)
    {
        var form = _upsertForm ??= dialect is IUpsertFormsDialect forms ? forms.UpsertForm(connection) : 0;
        var commands = group.ConvertAll(o => ToCommand(o, o.Entry.Plan.Upserts.For(o.Entry.Upsert!.Target, o.Entry.Upsert.IgnoreConflicts, form)));
        // Each answer is given to its entity inside its statement (SqlExecutor.Apply): an entity refusing its key fails it.
        void Apply(int i, object? answer) => UpsertAnswer.Apply(group[i].Entry, commands[i], (object?[]?)answer, undo);
        if (group.Count > 1 && connection.CanCreateBatch && dialect.BatchesUpserts)
        {
            await executor.ExecuteBatchAsync(async, connection, transaction, commands, readKeys: false, matchedRowsQuery: null, cancellationToken, UpsertAnswer.Read, Apply).ConfigureAwait(false);
        }
        else
        {
            await executor.ExecuteRepeatedReadingRowsAsync(async, connection, transaction, commands, UpsertAnswer.Read, cancellationToken, Apply).ConfigureAwait(false);
        }
    }

    // A run of upserts as many-row statements (MariaDB), in chunks (RowListStatements), each answering a row per row listed.
    // The run already fits the statement size limit one statement per row, and listing its rows in one statement is shorter.
    private async ValueTask WriteUpsertRowsAsync(bool async, List<WriteOperation> group, RowListStatements upserts, CancellationToken cancellationToken)
    {
        undo.EnsureRoomFor(group.Count);
        var start = 0;
        foreach (var count in upserts.Chunks(group.Count))
        {
            var chunk = group.GetRange(start, count);
            start += count;
            var statement = upserts.For(count);
            var command = new Command(statement.Name, chunk[0].Entry.Plan.Entity.Name, statement.Sql, new RowListParameters(upserts, chunk.ConvertAll(o => o.Entry.Entity)));
            await executor.ExecuteManyAsync(async, connection, transaction, command, count, readKeys: false, cancellationToken, UpsertAnswer.Read, (i, answer) => UpsertAnswer.Apply(chunk[i].Entry, command, (object?[]?)answer, undo)).ConfigureAwait(false);
        }
    }

    private static int GeneratedKeyInserts(List<WriteOperation> operations)
    {
        var count = 0;
        foreach (var operation in operations)
        {
            if (operation.Kind == WriteKind.Insert && operation.Entry.Plan.SetGeneratedKey is not null)
            {
                count++;
            }
        }

        return count;
    }

    // The operations from start, count of them: the list itself when that is all of it (a commit of one run, say 100,000
    // inserts, copies none), else a copy. Neither is changed after.
    private static List<WriteOperation> Run(List<WriteOperation> operations, int start, int count) =>
        start == 0 && count == operations.Count ? operations : operations.GetRange(start, count);

    // Fills in what the writes depend on: the parents' keys, inserted before, and the soft-delete markers.
    private void Prepare(List<WriteOperation> group)
    {
        foreach (var operation in group)
        {
            // An update planned whole (UpdateStatements.All) may follow a parent inserted by this commit.
            if (operation.Kind is WriteKind.Insert or WriteKind.Upsert || (operation.Kind == WriteKind.Update && operation.ChangedMask == Plans.UpdateStatements.All))
            {
                planner.FixForeignKeys(operation.Entry, undo);
            }
            else if (operation.Kind == WriteKind.SoftDelete)
            {
                var plan = operation.Entry.Plan;
                undo.Set(plan.SetSoftDeleteMarker!, operation.Entry.Entity, plan.Entity.SoftDeleteMarker!.Property.GetValue(operation.Entry.Entity), plan.DeletedMarker());
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="operations"/> go as one statement that either writes everything or nothing: a single write,
    /// or one many-row INSERT for all. (A many-row UPDATE is one statement too, but some of its rows may match nothing, and
    /// the rows it did write must then be rolled back.)
    /// </summary>
    public static bool SendsOneStatement(List<WriteOperation> operations) =>
        operations.Count == 1
        || (operations.Count > 1 && operations[0].Kind == WriteKind.Insert && ManyRowStatement(operations, 0, out var count) is not null && count == operations.Count);

    // Two or more consecutive inserts or updates of one statement go as one many-row statement, where the dialect has one.
    private static Plans.SqlStatement? ManyRowStatement(List<WriteOperation> operations, int start, out int count)
    {
        var first = operations[start];
        var plan = first.Entry.Plan;
        var many = !plan.WritesFromArrays ? null : first.Kind switch
        {
            WriteKind.Insert => plan.InsertMany,
            WriteKind.Update or WriteKind.SoftDelete => plan.UpdatesMany?.For(first.ChangedMask),
            _ => null,
        };
        count = many is null ? 0 : SameStatementRun(operations, start, MaxManyRows);
        return count > 1 ? many : null;
    }

    // A run of inserts of one entity type from the threshold up goes through the engine's bulk channel, where it has one.
    private int BulkRun(List<WriteOperation> operations, int start)
    {
        var first = operations[start];
        if (first.Kind != WriteKind.Insert || executor.BulkInsertOf(first.Entry.Plan) is not { CanWrite: true })
        {
            return 0;
        }

        var count = SameStatementRun(operations, start, int.MaxValue);
        return count >= bulkInsertThreshold ? count : 0;
    }

    // Two or more consecutive inserts of one entity, or updates of one set of its columns, go as many-row statements sent
    // together (see RowListWriter), where the dialect lists rows (MySQL, MariaDB): rows with a generated key only where the
    // server returns the keys in row order; updates only inside the commit's transaction, which their savepoint needs.
    // The run also stays below the server's statement size limit, where it has one (BatchBudget): a row listed in an INSERT
    // takes less than its own INSERT, and in an UPDATE less than its own UPDATE once per segment (each names the key again).
    private RowListStatements? RowListRun(List<WriteOperation> operations, int start, out int count)
    {
        count = 0;
        var first = operations[start];
        var plan = first.Entry.Plan;
        var statements = first.Kind switch
        {
            WriteKind.Insert when plan.InsertRows is { } inserts && dialect is IRowListInsertDialect rowLists
                && (plan.SetGeneratedKey is null || rowLists.ReturnsKeysOfRowLists(connection)) => inserts,
            WriteKind.Update or WriteKind.SoftDelete when transaction is not null => plan.UpdateRows?.For(first.ChangedMask),
            _ => null,
        };
        if (statements is null || !connection.CanCreateBatch)
        {
            return null;
        }

        count = SameStatementRun(operations, start, MaxManyRows);
        if (budget is not null)
        {
            var timesPerRow = first.Kind == WriteKind.Insert ? 1 : statements.Segments.Count;
            long bytes = 0;
            var fits = 0;
            while (fits < count && (bytes += budget.Sizes[start + fits] * timesPerRow) < budget.Limit)
            {
                fits++;
            }

            count = fits;
        }

        return count > 1 ? statements : null;
    }

    // Consecutive upserts of one statement, in one batch below the server's statement size limit, where it has one; or as
    // many as a many-row statement takes where they are written from arrays.
    private int UpsertRunLength(List<WriteOperation> operations, int start)
    {
        var count = SameStatementRun(operations, start, MaxManyRows);
        if (ArrayUpserts(operations, start, count) is null)
        {
            count = Math.Min(count, MaxBatch);
        }

        while (count > 1 && budget is not null && Bytes(start, count) >= budget.Limit)
        {
            count /= 2;
        }

        return count;
    }

    // The statement that upserts these rows from arrays (PostgreSQL), from ArrayUpsertsFrom rows with a value in every
    // conflict column; otherwise null.
    private static SqlStatement? ArrayUpserts(List<WriteOperation> operations, int start, int count)
    {
        var request = operations[start].Entry.Upsert!;
        return count >= ArrayUpsertsFrom && operations[start].Entry.Plan.Upserts.Arrays(request.Target, request.IgnoreConflicts) is { } statement
            && UpsertArrayWriter.CanWrite(operations, start, count) ? statement : null;
    }

    private long Bytes(int start, int count)
    {
        long bytes = 0;
        for (var i = start; i < start + count; i++)
        {
            bytes += budget!.Sizes[i];
        }

        return bytes;
    }

    // The query that reports each update's or delete's matched rows in a batch, where the driver does not.
    private string? MatchedRowsQuery(WriteOperation first) =>
        first.Kind == WriteKind.Insert || dialect.BatchReportsRowsPerStatement ? null : dialect.MatchedRowsQuery;

    private bool Batchable(WriteOperation first) => first.Kind == WriteKind.Insert
        ? first.Entry.Plan.SetGeneratedKey is null || dialect.BatchesInsertsReturningKeys
        : dialect.BatchReportsRowsPerStatement || dialect.MatchedRowsQuery is not null;

    // Consecutive writes of one statement: without a batch they share one command whose values are re-bound per row.
    private static int SameStatementRun(List<WriteOperation> operations, int start, int limit)
    {
        var statement = StatementOf(operations[start]);
        var end = start + 1;
        while (end < operations.Count && end - start < limit && StatementOf(operations[end]) == statement)
        {
            end++;
        }

        return end - start;
    }

    // Inserts of one type go together (later types may need their keys); updates and deletes go together in order.
    // Where statements have a size limit (see BatchBudget), a batch also stops before its statements together reach it.
    private int GroupLength(List<WriteOperation> operations, int start)
    {
        var first = operations[start];
        var end = start + 1;
        var counted = MatchedRowsQuery(first) is { } query ? query.Length + 1 : 0; // sent after each statement, with a separator
        var bytes = (budget?.Sizes[start] ?? 0) + counted;
        while (end < operations.Count && end - start < MaxBatch && (first.Kind == WriteKind.Insert
            ? operations[end].Kind == WriteKind.Insert && operations[end].Entry.Plan == first.Entry.Plan
            : operations[end].Kind != WriteKind.Insert) && (budget is null || (bytes += budget.Sizes[end] + counted) < budget.Limit))
        {
            end++;
        }

        return end - start;
    }

    /// <summary>The statement that writes <paramref name="operation"/>, one row at a time.</summary>
    public static Plans.SqlStatement StatementOf(WriteOperation operation) => operation.Kind switch
    {
        WriteKind.Insert => operation.Entry.Plan.Insert,
        WriteKind.Update or WriteKind.SoftDelete => operation.Entry.Plan.Updates.For(operation.ChangedMask),
        WriteKind.Upsert => operation.Entry.Plan.Upserts.For(operation.Entry.Upsert!.Target, operation.Entry.Upsert.IgnoreConflicts),
        _ => operation.Entry.Plan.Delete,
    };

    private static Command ToCommand(WriteOperation operation) => ToCommand(operation, StatementOf(operation));

    private static Command ToCommand(WriteOperation operation, Plans.SqlStatement statement)
    {
        return new Command(statement.Name, operation.Entry.Plan.Entity.Name, statement.Sql, EntityParameters.ForEntity(statement, operation.Entry.Entity));
    }

    private void Apply(WriteOperation operation, Command command, object? result)
    {
        var entity = operation.Entry.Entity;
        var plan = operation.Entry.Plan;
        if (operation.Kind == WriteKind.Insert)
        {
            if (plan.SetGeneratedKey is not null)
            {
                var key = result is null or DBNull ? throw new PremixException($"Insert of {plan.Entity.Name} returned no generated key. Check that {plan.GeneratedKey!.Column} is an identity/auto-increment column.") : result;
                WrittenValues.SetKey(plan, entity, key, undo);
            }

            return;
        }

        if (Convert.ToInt32(result, CultureInfo.InvariantCulture) == 0)
        {
            throw KeyText.NoRowMatched(command.Operation, plan, entity);
        }

        if (operation.Kind is WriteKind.Update or WriteKind.SoftDelete && plan.SetVersion is not null)
        {
            var version = plan.VersionBinding!.ReadRaw(entity)!;
            undo.Set(plan.SetVersion, entity, version, WrittenValues.NextVersion(version));
        }
    }
}
