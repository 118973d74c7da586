using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Premix.Diagnostics;
using Premix.Providers;
using Premix.Resilience;

namespace Premix.Execution;

/// <summary>
/// The one place where Premix runs SQL: repositories, queries, the unit of work and raw SQL all pass through here, so
/// command setup, parameter binding, logging, tracing, error wrapping, masking and cancellation live once.
/// </summary>
/// <remarks>
/// Every entry point follows one path: <see cref="CreateCommand"/> (text, transaction and the one parameter contract,
/// <see cref="IStatementParameters"/>), a trace and the provider's cancellation hook, the driver call, then
/// <see cref="Executed"/> or, through one exception filter, <see cref="Fail"/>. The entry points differ only in how
/// they call the driver and read its answer (rows, a count, keys of a batch).
/// Each method takes <c>async</c>: <see langword="false"/> runs the driver's synchronous API and completes at once, so the
/// synchronous twins of the public API share this code without blocking on a task. With a driver whose async methods
/// are synchronous anyway (<see cref="Providers.IDatabaseProvider.CompletesSynchronously"/>), the row-by-row loops
/// (reading rows, re-running one write per row) call the synchronous API and check the cancellation token
/// themselves, as the driver's async methods would.
/// </remarks>
internal sealed partial class SqlExecutor(ILogger logger, TelemetryContext telemetry, bool logParameterValues, Providers.IDatabaseProvider provider, RetryPolicy retries, ModelConstraints? constraints = null)
{
    private readonly bool _driverCompletesSynchronously = provider.CompletesSynchronously;
    private readonly bool _keepsHeldReads = provider.KeepsHeldCommands || provider.KeepsCommandsParsed || provider.PreparesRepeatedReads;
    private readonly PositionalTexts? _positional = provider.Dialect is Providers.IPositionalPlaceholders positional ? PositionalTexts.For(positional) : null;
    private readonly StatementSizeGuard? _sizes = provider is Providers.IStatementSizeLimit limit ? new StatementSizeGuard(limit) : null;

    /// <summary>The provider whose connections this executor's sessions open (a tenant's own, with a database per tenant).</summary>
    public Providers.IDatabaseProvider Provider => provider;

    /// <summary>
    /// A statement sent before every command in the same round trip, and run at the start of every transaction: a tenant's
    /// schema on PostgreSQL (<see cref="Providers.TenantSchemaSelection.CommandPrefix"/>); <see langword="null"/> otherwise.
    /// </summary>
    public string? TenantPrefix
    {
        get => _tenantPrefix;
        init
        {
            _tenantPrefix = value;
            _prefixedSql = value is null ? null : new();
            _prefix = value is null ? null : sql => value + sql;
        }
    }

    /// <summary>
    /// The tenant whose rows this executor's statements see in tables shared by tenants (<c>TenantColumn()</c>): bound to
    /// each tenant column's filter and stamped on inserts; <see langword="null"/> for any other executor, where such a table fails closed.
    /// </summary>
    public string? ColumnTenant { get; init; }

    /// <summary>
    /// The engine of the primary when this executor runs a read replica's statements: what its
    /// <see cref="Providers.IReadReplicaProvider.IsReadOnlyRefusal"/> and <see cref="Providers.IReadReplicaProvider.IsCommandTimeout"/>
    /// say of a failed statement's error is kept on the exception (the router decides by them); <see langword="null"/> for any other executor.
    /// </summary>
    public Providers.IReadReplicaProvider? ReplicaOf { get; init; }

    // A plan's SQL is one string for the life of the process: its prefixed text is made once per tenant, not per call.
    private readonly string? _tenantPrefix;
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<string, string>? _prefixedSql;
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<string, string>.CreateValueCallback? _prefix;

    /// <summary>
    /// Whether this executor runs one tenant's statements (<c>UseTenants</c>): it then keeps the bulk channel's description of
    /// each table for itself (<see cref="BulkInsertOf"/>).
    /// </summary>
    public bool ServesOneTenant
    {
        get => _bulkTables is not null;
        init => _bulkTables = value ? new() : null;
    }

    // A tenant's bulk channels: a table's key sequence and column types are its schema's or database's, not the first tenant's.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Plans.EntityPlan, Providers.IBulkInsertTable?>? _bulkTables;

    /// <summary>The bulk channel of <paramref name="plan"/>'s table as this executor's database has it: the plan's own, or a tenant's.</summary>
    public Providers.IBulkInsertTable? BulkInsertOf(Plans.EntityPlan plan) =>
        _bulkTables is null || plan.BulkInsert is null ? plan.BulkInsert : _bulkTables.GetOrAdd(plan, static p => p.NewBulkInsert());

    /// <summary>Runs <see cref="TenantPrefix"/> alone, at the start of <paramref name="transaction"/>, so statements sent as batches (which carry no prefix) run in the tenant's schema too.</summary>
    public ValueTask<int> EnterTenantAsync(bool async, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        _tenantPrefix is null ? ValueTask.FromResult(0) : ExecuteAsync(async, connection, transaction, new Command("Tenant", null, string.Empty, null), cancellationToken);

    /// <summary>The engine and database this executor's spans and measurements name.</summary>
    public TelemetryContext Telemetry => telemetry;

    /// <summary>How transient failures are retried.</summary>
    public RetryPolicy Retries => retries;

    /// <summary>The read replicas reads outside a transaction may go to (<c>WithReadReplicas</c>); <see langword="null"/> without any. Set once, at startup.</summary>
    public Replicas.ReplicaRouter? Replicas { get; set; }

    /// <summary>The engine's statement size limit, where its server has one (MySQL and MariaDB); <see langword="null"/> otherwise.</summary>
    public StatementSizeGuard? StatementSizes => _sizes;

    /// <summary>Runs a statement that returns no rows and returns the number of rows it affected.</summary>
    public ValueTask<int> ExecuteAsync(bool async, DbConnection connection, DbTransaction? transaction, Command command, CancellationToken cancellationToken) =>
        ExecuteAsync(async, connection, transaction, command, null, cancellationToken);

    /// <summary>
    /// Runs a statement that returns no rows, with a time limit of its own (<paramref name="timeoutSeconds"/>, 0 for none:
    /// a migration may run long) instead of the connection's, and returns the number of rows it affected.
    /// </summary>
    public async ValueTask<int> ExecuteAsync(bool async, DbConnection connection, DbTransaction? transaction, Command command, int? timeoutSeconds, CancellationToken cancellationToken)
    {
        var dbCommand = CreateCommand(connection, transaction, timeoutSeconds is null ? command : command with { TimeoutSeconds = timeoutSeconds });

        await using (dbCommand.ConfigureAwait(false))
        {
            await RefuseIfTooLargeAsync(async, connection, transaction, command, dbCommand, cancellationToken).ConfigureAwait(false);
            var trace = telemetry.Start(command);
            using var cancellation = provider.CancelOnToken(connection, cancellationToken);
            try
            {
                var affected = async ? await dbCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) : dbCommand.ExecuteNonQuery();
                Executed(command, command.Operation, trace, affected);
                return affected;
            }
            catch (Exception e) when (IsStatementFailure(e, cancellationToken))
            {
                throw Fail(connection, command, trace, e, cancellationToken);
            }
        }
    }

    /// <summary>Runs a statement and returns the first column of its first row (<see langword="null"/> when there is none).</summary>
    public ValueTask<object?> ScalarAsync(bool async, DbConnection connection, DbTransaction? transaction, Command command, CancellationToken cancellationToken) =>
        ScalarAsync(async, connection, transaction, command, null, cancellationToken);

    /// <summary>The same with a time limit of its own (<paramref name="timeoutSeconds"/>, 0 for none: a lock function bounds its wait itself).</summary>
    public async ValueTask<object?> ScalarAsync(bool async, DbConnection connection, DbTransaction? transaction, Command command, int? timeoutSeconds, CancellationToken cancellationToken)
    {
        var dbCommand = CreateCommand(connection, transaction, timeoutSeconds is null ? command : command with { TimeoutSeconds = timeoutSeconds });

        await using (dbCommand.ConfigureAwait(false))
        {
            await RefuseIfTooLargeAsync(async, connection, transaction, command, dbCommand, cancellationToken).ConfigureAwait(false);
            var trace = telemetry.Start(command);
            using var cancellation = provider.CancelOnToken(connection, cancellationToken);
            try
            {
                var value = async ? await dbCommand.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) : dbCommand.ExecuteScalar();
                Executed(command, command.Operation, trace, value is null ? 0 : 1);
                return value;
            }
            catch (Exception e) when (IsStatementFailure(e, cancellationToken))
            {
                throw Fail(connection, command, trace, e, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Runs a SELECT and builds up to <paramref name="limit"/> rows with <paramref name="rows"/> (a plan's compiled reader
    /// with typed getters by ordinal, or a raw statement's mapping), into <paramref name="into"/> when given (emptied
    /// first: see <see cref="FirstRowBuffer{T}"/>), otherwise into a new list.
    /// </summary>
    /// <remarks>
    /// Its state machine is pooled: a read that really waits on the network then allocates no box for it. Given
    /// <paramref name="session"/>, whose open connection <paramref name="connection"/> is, it also does what
    /// <see cref="ReadOnPrimaryAsync"/> does around a read there (retry, discard, give back), so that such a read runs
    /// in one async method.
    /// </remarks>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<List<T>> ReadRowsAsync<T>(bool async, DbConnection connection, DbTransaction? transaction, Command command, RowReader rows, int limit, CancellationToken cancellationToken, List<T>? into = null, ISqlSession? session = null)
    {
        // On a held connection, the statement's kept command (HeldCommands), its parameters set again rather than made:
        // also parsed once by a driver that parses per command object, or prepared on the server from its second run on.
        // Not for a text made for this call, which no later read would find.
        var keep = session is not null && _keepsHeldReads && command.TimeoutSeconds is null && _prefixedSql is null && command.Parameters is not { TextIsReused: false };
        try
        {
            var prepare = false;
            var held = keep ? HeldCommands.Take(connection, command.Sql, Volatile.Read(ref _preparesRepeatedReads) == 1, out prepare) : null;
            DbCommand? dbCommand = held;
            var kept = false;
            try
            {
                dbCommand = CreateCommand(connection, transaction, command, held);
                await RefuseIfTooLargeAsync(async, connection, transaction, command, dbCommand, cancellationToken).ConfigureAwait(false);
                var behavior = CommandBehavior.SingleResult | (limit == 1 ? CommandBehavior.SingleRow : 0);
                var trace = telemetry.Start(command);
                using var cancellation = provider.CancelOnToken(connection, cancellationToken);
                var checkCancellation = async && _driverCompletesSynchronously;
                var driverAsync = async && !_driverCompletesSynchronously; // `async` stays the caller's: a retry below runs as asked
                List<T> result;
                DbException? prepareRefused = null;
                try
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (prepare)
                    {
                        prepareRefused = await TryPrepareAsync(driverAsync, connection, dbCommand, cancellationToken).ConfigureAwait(false);
                    }

                    var reader = driverAsync ? await dbCommand.ExecuteReaderAsync(behavior, cancellationToken).ConfigureAwait(false) : dbCommand.ExecuteReader(behavior);
                    into?.Clear(); // a retried read starts again
                    result = into ?? new List<T>(limit == 1 ? 1 : 16);
                    await using (reader.ConfigureAwait(false))
                    {
                        var readRow = rows.Open(reader, command.Sql);
                        var readAsT = readRow as Func<DbDataReader, T>; // a plan's reader returns its entity type: no cast a row
                        while (result.Count < limit && (driverAsync ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read()))
                        {
                            result.Add(readAsT is not null ? readAsT(reader) : (T)readRow(reader));
                            if (checkCancellation)
                            {
                                cancellationToken.ThrowIfCancellationRequested();
                            }
                        }
                    }
                }
                catch (Exception e) when (IsStatementFailure(e, cancellationToken))
                {
                    throw Fail(connection, command, trace, e, cancellationToken);
                }
                catch (Exception e)
                {
                    Unread(command, trace, e);
                    throw;
                }

                Executed(command, command.Operation, trace, result.Count);
                if (prepareRefused is not null && provider.RefusesPreparing(prepareRefused))
                {
                    StopPreparing(command, prepareRefused);
                }

                kept = keep && RanAsWritten(command, dbCommand) && HeldCommands.GiveBack(connection, command.Sql, dbCommand);
                return result;
            }
            finally
            {
                if (!kept && dbCommand is not null)
                {
                    await dbCommand.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        catch (DatabaseCommandException e) when (session is not null)
        {
            if (!await DiscardAfterFailedReadAsync(async, session, connection, e, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }

            return await RetryRowsAsync(async, session, command, rows, limit, into, e, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (session is not null)
            {
                await session.ReleaseAsync(async, connection).ConfigureAwait(false);
            }
        }
    }

    // A row that could not be built (the reader's compilation, or a setter or constructor of the entity refusing a value)
    // reaches the caller unwrapped, as before; its statement is still ended as a failed one is: its span and meters marked
    // failed, the failure logged and shown to the flow's recorders. The reason names the exception's type only: its
    // message may hold a value read, so the recorders get the reason too (as a PremixException), never the exception.
    private void Unread(Command command, CommandTrace trace, Exception error) => Refused(command, trace, error, "The rows could not be read");

    // The same for a value a write returned (a generated key, an upsert's answer) that its entity refused when given it.
    private void Refused(Command command, CommandTrace trace, Exception error) => Refused(command, trace, error, "The entity refused a value the statement returned");

    private void Refused(Command command, CommandTrace trace, Exception error, string what, bool startsRoundTrip = true)
    {
        var reason = $"{what}: {error.GetType().Name}.";
        trace.Failed(error, reason);
        Log.CommandFailed(logger, command.Operation, command.Entity, trace.Elapsed.TotalMilliseconds, reason, ParameterDescription.Describe(command.Parameters, logParameterValues), Environment.NewLine, command.Sql);
        if (StatementRecording.IsActive)
        {
            StatementRecording.Executed(this, command, startsRoundTrip, -1, trace.Elapsed, new PremixException(reason));
        }
    }

    // A batch one of whose answers its entity refused (commands[refused]): that statement ends the batch's trace failed and is
    // logged and recorded as failed; the others ran, so they are logged and recorded as executed, in order, as in BatchExecuted.
    private void BatchRefused(IReadOnlyList<Command> commands, int refused, CommandTrace trace, Exception error)
    {
        var elapsed = trace.Elapsed;
        var shown = logger.IsEnabled(LogLevel.Debug) || StatementRecording.IsActive;
        for (var i = 0; i < commands.Count; i++)
        {
            if (i == refused)
            {
                Refused(commands[i], trace, error, "The entity refused a value the statement returned", startsRoundTrip: i == 0);
            }
            else if (shown)
            {
                Executed(commands[i], $"{commands[i].Operation} ({i + 1} of a batch of {commands.Count})", null, -1, elapsed, startsRoundTrip: i == 0);
            }
        }
    }

    /// <summary>
    /// Gives a write's answer to its entities (<paramref name="apply"/>: a generated key, an upsert's key or version) while the
    /// statement is still in flight, so that an entity refusing the value (its setter throws) ends it failed, as a row a read
    /// cannot build does; the entity's exception reaches the caller unwrapped. A Premix error (a conflict, a key missing) is
    /// the commit's, not the statement's: the statement is then reported as it ran, before the error goes on.
    /// </summary>
    private void Apply(Action<int, object?> apply, int index, object? result, Command command, CommandTrace trace, long rows)
    {
        try
        {
            apply(index, result);
        }
        catch (PremixException)
        {
            Executed(command, command.Operation, trace, rows);
            throw;
        }
        catch (Exception e)
        {
            Refused(command, trace, e);
            throw;
        }
    }

    /// <summary>
    /// Streams the rows of a SELECT as they are read; the statement is logged once the stream ends. A failure while its
    /// rows are read ends it as in a list read (ReadRowsAsync): the driver's error wrapped, a row that could not be built
    /// unwrapped, its span marked failed either way.
    /// </summary>
    public async IAsyncEnumerable<T> StreamRowsAsync<T>(DbConnection connection, DbTransaction? transaction, Command command, RowReader rows, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var dbCommand = CreateCommand(connection, transaction, command);
        await using (dbCommand.ConfigureAwait(false))
        {
            await RefuseIfTooLargeAsync(true, connection, transaction, command, dbCommand, cancellationToken).ConfigureAwait(false);
            var trace = telemetry.Start(command);
            using var cancellation = provider.CancelOnToken(connection, cancellationToken);
            DbDataReader reader;
            try
            {
                reader = await dbCommand.ExecuteReaderAsync(CommandBehavior.SingleResult, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsStatementFailure(e, cancellationToken))
            {
                throw Fail(connection, command, trace, e, cancellationToken);
            }
            catch (Exception e)
            {
                Unread(command, trace, e);
                throw;
            }

            var count = 0;
            // Opened in the reader's scope: a reader left open would make the next statement on a held connection (a
            // transaction's, a stream's) fail as busy.
            await using (reader.ConfigureAwait(false))
            {
                Func<DbDataReader, object>? readRow = null;
                Func<DbDataReader, T>? readAsT = null; // as in ReadRowsAsync: a plan's reader returns its entity type
                while (true)
                {
                    // Each row is read here and yielded below: C# allows no yield inside a try that has a catch.
                    T row;
                    try
                    {
                        if (readRow is null)
                        {
                            readRow = rows.Open(reader, command.Sql);
                            readAsT = readRow as Func<DbDataReader, T>;
                        }

                        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            break;
                        }

                        row = readAsT is not null ? readAsT(reader) : (T)readRow(reader);
                    }
                    catch (Exception e) when (IsStatementFailure(e, cancellationToken))
                    {
                        throw Fail(connection, command, trace, e, cancellationToken);
                    }
                    catch (Exception e)
                    {
                        Unread(command, trace, e);
                        throw;
                    }

                    count++;
                    yield return row;
                }
            }

            Executed(command, command.Operation, trace, count);
        }
    }

    /// <summary>
    /// Sends <paramref name="commands"/> (entity statements) in one round trip, in order. Returns per command the value of
    /// its first column when <paramref name="readKeys"/> (an INSERT ... RETURNING key), or its first row read by
    /// <paramref name="readRow"/> when given (null when it returned none), otherwise the rows it matched: as the driver
    /// reports them, or, given <paramref name="matchedRowsQuery"/> (<see cref="Providers.ISqlDialect.MatchedRowsQuery"/>),
    /// as that query answers right after each command.
    /// </summary>
    /// <remarks>Given <paramref name="apply"/>, each command's answer is given to its entity before the batch is reported (see <see cref="Apply"/>).</remarks>
    public async ValueTask<object?[]> ExecuteBatchAsync(bool async, DbConnection connection, DbTransaction? transaction, IReadOnlyList<Command> commands, bool readKeys, string? matchedRowsQuery, CancellationToken cancellationToken, Func<DbDataReader, object>? readRow = null, Action<int, object?>? apply = null)
    {
        var batch = connection.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            batch.Transaction = transaction;
            foreach (var command in commands)
            {
                AddToBatch(batch, command);
                if (matchedRowsQuery is not null)
                {
                    var count = batch.CreateBatchCommand();
                    count.CommandText = matchedRowsQuery;
                    count.CommandType = CommandType.Text;
                    batch.BatchCommands.Add(count);
                }
            }

            await RefuseIfTooLargeAsync(async, connection, transaction, commands[0], batch, cancellationToken).ConfigureAwait(false);
            var trace = telemetry.Start(commands[0], commands.Count);
            using var cancellation = provider.CancelOnToken(connection, cancellationToken);
            object?[] results;
            try
            {
                // The statements' own rows (keys, upserts' answers) or the matched-rows queries': one result set per command either way.
                results = readKeys || readRow is not null || matchedRowsQuery is not null
                    ? await ReadFirstRowsAsync(async, batch, commands.Count, readRow ?? FirstColumn, cancellationToken).ConfigureAwait(false)
                    : await RecordsAffectedAsync(async, batch, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsStatementFailure(e, cancellationToken))
            {
                var index = e is DbException { BatchCommand: { } failed } ? batch.BatchCommands.IndexOf(failed) / (matchedRowsQuery is null ? 1 : 2) : -1;
                throw Fail(connection, commands[Math.Max(index, 0)], trace, e, cancellationToken, commands.SelectMany(c => c.Parameters!.SensitiveValues()));
            }

            for (var i = 0; apply is not null && i < commands.Count; i++)
            {
                try
                {
                    apply(i, results[i]);
                }
                catch (PremixException)
                {
                    BatchExecuted(commands, trace);
                    throw;
                }
                catch (Exception e)
                {
                    BatchRefused(commands, i, trace, e);
                    throw;
                }
            }

            BatchExecuted(commands, trace);
            return results;
        }
    }

    // A batch that ran: one trace for its round trip (rows: as the driver counted them, or one per statement when not
    // given), a log line and a recording per statement.
    private void BatchExecuted(IReadOnlyList<Command> commands, CommandTrace trace, long? rows = null)
    {
        var elapsed = trace.Elapsed;
        trace.Succeeded(rows ?? commands.Count);
        if (logger.IsEnabled(LogLevel.Debug) || StatementRecording.IsActive)
        {
            for (var i = 0; i < commands.Count; i++)
            {
                Executed(commands[i], commands.Count == 1 ? commands[i].Operation : $"{commands[i].Operation} ({i + 1} of a batch of {commands.Count})", null, -1, elapsed, startsRoundTrip: i == 0);
            }
        }
    }

    // One statement of a batch, with its parameters (none for a statement such as a SAVEPOINT), positional where they can be.
    private void AddToBatch(DbBatch batch, Command command)
    {
        var batchCommand = batch.CreateBatchCommand();
        batchCommand.CommandText = command.Sql;
        batchCommand.CommandType = CommandType.Text;
        ((IBatchParameters?)command.Parameters)?.AddTo(batchCommand);
        if (ReferenceEquals(batchCommand.CommandText, command.Sql) && Positional(command)?.Bind(command.Sql, batchCommand.Parameters) is { } positional)
        {
            batchCommand.CommandText = positional;
        }

        batch.BatchCommands.Add(batchCommand);
    }

    /// <summary>
    /// Runs <paramref name="statement"/> once per entity of <paramref name="entities"/> on a single command object whose
    /// parameter values are re-bound from each entity, so the driver keeps one prepared statement. Returns per entity its
    /// generated key (<paramref name="readKeys"/>) or the rows it matched.
    /// </summary>
    /// <remarks>
    /// A row's parameters are described (an <see cref="EntityParameters"/>) only when something looks at them: the debug
    /// log, a statement recording, the size guard, or a failure; otherwise a row costs its values and the driver's call.
    /// Given <paramref name="byRowId"/> (the same insert without <c>RETURNING</c>, <see cref="Plans.EntityPlan.InsertByRowId"/>),
    /// the first row also reads the connection's rowid: when the key it returned is that rowid, the key column is the rowid
    /// and the other rows go through <paramref name="byRowId"/>, each key read from the rowid; otherwise (a column that
    /// only looks like one, a WITHOUT ROWID table) every row stays on <paramref name="statement"/>.
    /// </remarks>
    public async ValueTask<object?[]> ExecuteRepeatedAsync(bool async, DbConnection connection, DbTransaction? transaction, Plans.SqlStatement statement, Plans.SqlStatement? byRowId, string entity, IReadOnlyList<object> entities, bool readKeys, CancellationToken cancellationToken, Action<int, object?>? apply = null)
    {
        var dbCommand = CreateCommand(connection, transaction, Row(statement, entity, entities[0], described: true));
        DbCommand? returning = null;
        long? lastRowId = null;
        try
        {
            var results = new object?[entities.Count];
            async &= !_driverCompletesSynchronously;
            using var cancellation = provider.CancelOnToken(connection, cancellationToken);
            for (var i = 0; i < entities.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (i > 0)
                {
                    EntityParameters.SetValues(statement.Parameters, entities[i], dbCommand.Parameters);
                }

                var command = Row(statement, entity, entities[i], described: _sizes is not null || logger.IsEnabled(LogLevel.Debug) || StatementRecording.IsActive);
                await RefuseIfTooLargeAsync(async, connection, transaction, command, dbCommand, cancellationToken).ConfigureAwait(false);
                var trace = telemetry.Start(command);
                try
                {
                    results[i] = readKeys && lastRowId is null
                        ? async ? await dbCommand.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) : dbCommand.ExecuteScalar()
                        : async ? await dbCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) : dbCommand.ExecuteNonQuery();
                }
                catch (Exception e) when (IsStatementFailure(e, cancellationToken))
                {
                    throw Fail(connection, Row(statement, entity, entities[i], described: true), trace, e, cancellationToken);
                }

                var rows = readKeys ? 1 : Convert.ToInt64(results[i], System.Globalization.CultureInfo.InvariantCulture);
                if (lastRowId is not null)
                {
                    try
                    {
                        results[i] = lastRowId = NextRowId(connection, lastRowId.Value, entity);
                    }
                    catch (PremixException)
                    {
                        Executed(command, command.Operation, trace, rows);
                        throw;
                    }
                }

                if (apply is not null)
                {
                    try
                    {
                        apply(i, results[i]);
                    }
                    catch (PremixException)
                    {
                        Executed(command, command.Operation, trace, rows);
                        throw;
                    }
                    catch (Exception e)
                    {
                        // Logged with the row's parameters, as a failure (Fail) is, even where the row was not described.
                        Refused(command.Parameters is null ? Row(statement, entity, entities[i], described: true) : command, trace, e);
                        throw;
                    }
                }

                Executed(command, command.Operation, trace, rows);

                if (i == 0 && byRowId is not null && readKeys && entities.Count > 1 && results[0] is long key && provider.LastInsertedRowId(connection) == key)
                {
                    (returning, statement, lastRowId) = (dbCommand, byRowId, key);
                    dbCommand = CreateCommand(connection, transaction, Row(statement, entity, entities[0], described: true));
                }
            }

            return results;
        }
        finally
        {
            await dbCommand.DisposeAsync().ConfigureAwait(false);
            if (returning is not null)
            {
                await returning.DisposeAsync().ConfigureAwait(false);
            }
        }

        static Command Row(Plans.SqlStatement statement, string entity, object row, bool described) =>
            new(statement.Name, entity, statement.Sql, described ? EntityParameters.ForEntity(statement, row) : null);
    }

    // The rowid of the row an insert without RETURNING just wrote; one equal to the previous row's means the insert wrote
    // no row of its own (a trigger ignored it), and a key read from it would be another row's.
    private long NextRowId(DbConnection connection, long previous, string entity) =>
        provider.LastInsertedRowId(connection) is { } rowId && rowId != previous
            ? rowId
            : throw new PremixException($"An insert of {entity} left the connection's last inserted rowid unchanged, so it wrote no row of its own and its generated key cannot be read. Check the table's triggers (one that ignores an insert, RAISE(IGNORE), does this); the commit was stopped.");

    /// <summary>
    /// Runs one statement once per command (all with the same SQL) on a single command object re-bound each time, as
    /// <see cref="ExecuteRepeatedAsync"/> does, and returns per command its first row read by <paramref name="readRow"/>
    /// (null when it returned none): the answer rows of upserts, where the engine has no batch (SQLite).
    /// </summary>
    public async ValueTask<object?[]> ExecuteRepeatedReadingRowsAsync(bool async, DbConnection connection, DbTransaction? transaction, IReadOnlyList<Command> commands, Func<DbDataReader, object> readRow, CancellationToken cancellationToken, Action<int, object?>? apply = null)
    {
        var dbCommand = CreateCommand(connection, transaction, commands[0]);
        await using (dbCommand.ConfigureAwait(false))
        {
            var results = new object?[commands.Count];
            async &= !_driverCompletesSynchronously;
            using var cancellation = provider.CancelOnToken(connection, cancellationToken);
            for (var i = 0; i < commands.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (i > 0)
                {
                    ((EntityParameters)commands[i].Parameters!).SetValuesOn(dbCommand);
                }

                await RefuseIfTooLargeAsync(async, connection, transaction, commands[i], dbCommand, cancellationToken).ConfigureAwait(false);
                var trace = telemetry.Start(commands[i]);
                try
                {
                    results[i] = await ReadFirstRowAsync(async, dbCommand, readRow, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (IsStatementFailure(e, cancellationToken))
                {
                    throw Fail(connection, commands[i], trace, e, cancellationToken);
                }

                var rows = results[i] is null ? 0 : 1;
                if (apply is not null)
                {
                    Apply(apply, i, results[i], commands[i], trace, rows);
                }

                Executed(commands[i], commands[i].Operation, trace, rows);
            }

            return results;
        }
    }

    /// <summary>
    /// Runs a many-row statement (<see cref="Providers.IArrayWriteDialect"/>) over <paramref name="rows"/> rows. Returns per
    /// row, in order, its generated key when <paramref name="readKeys"/> (the statement returns one per row, in row
    /// order), or its answer row read by <paramref name="readRow"/> when given (one per row, in row order); otherwise 1 if the
    /// statement matched it and 0 if not (the statement returns the 1-based position of each row it matched).
    /// </summary>
    /// <remarks>Given <paramref name="apply"/>, each row's answer is given to its entity before the statement is reported (see <see cref="Apply"/>).</remarks>
    public async ValueTask<object?[]> ExecuteManyAsync(bool async, DbConnection connection, DbTransaction? transaction, Command command, int rows, bool readKeys, CancellationToken cancellationToken, Func<DbDataReader, object>? readRow = null, Action<int, object?>? apply = null)
    {
        var dbCommand = CreateCommand(connection, transaction, command);
        await using (dbCommand.ConfigureAwait(false))
        {
            await RefuseIfTooLargeAsync(async, connection, transaction, command, dbCommand, cancellationToken).ConfigureAwait(false);
            var trace = telemetry.Start(command);
            using var cancellation = provider.CancelOnToken(connection, cancellationToken);
            var results = new object?[rows];
            try
            {
                if (!readKeys && readRow is null)
                {
                    Array.Fill(results, 0);
                }

                var reader = async ? await dbCommand.ExecuteReaderAsync(CommandBehavior.SingleResult, cancellationToken).ConfigureAwait(false) : dbCommand.ExecuteReader(CommandBehavior.SingleResult);
                await using (reader.ConfigureAwait(false))
                {
                    for (var i = 0; async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read(); i++)
                    {
                        if (readRow is not null)
                        {
                            results[OfRow(i, rows, command)] = readRow(reader);
                        }
                        else if (readKeys)
                        {
                            results[OfRow(i, rows, command)] = reader.GetValue(0);
                        }
                        else
                        {
                            results[OfRow(reader.GetInt64(0) - 1, rows, command)] = 1;
                        }
                    }
                }
            }
            catch (Exception e) when (IsStatementFailure(e, cancellationToken))
            {
                throw Fail(connection, command, trace, e, cancellationToken);
            }

            for (var i = 0; apply is not null && i < rows; i++)
            {
                Apply(apply, i, results[i], command, trace, rows);
            }

            Executed(command, command.Operation, trace, rows);
            return results;
        }
    }

    /// <summary>
    /// <paramref name="index"/> when the statement's answer names one of the <paramref name="rows"/> rows it was sent; an
    /// answer past them fails the statement as a driver's error does (span ended, <c>CommandFailed</c>), not as an
    /// <see cref="IndexOutOfRangeException"/> that would leave its span open.
    /// </summary>
    private static int OfRow(long index, int rows, Command command) =>
        (ulong)index < (ulong)rows
            ? (int)index
            : throw new DataException(string.Create(CultureInfo.InvariantCulture, $"The {command.Operation} statement on {command.Entity} answered for row {index + 1} of the {rows} rows it was sent."));

    /// <summary>
    /// The one way a command is made: its text, its transaction, and its parameters bound through their contract (by
    /// position where the driver would otherwise parse the names at every run: <see cref="PositionalTexts"/>); on
    /// <paramref name="held"/>, a command kept for the same statement (<see cref="HeldCommands"/>): only its parameters'
    /// values set when this call's values fit them, bound anew otherwise.
    /// </summary>
    private DbCommand CreateCommand(DbConnection connection, DbTransaction? transaction, Command command, DbCommand? held = null)
    {
        if (held is not null)
        {
            held.Transaction = transaction;
            if (Rebound(command, held.Parameters))
            {
                return held; // with the text it ran with last time: this statement's, or its positional form
            }

            held.Parameters.Clear();
        }

        var dbCommand = held ?? connection.CreateCommand();
        dbCommand.CommandText = command.Sql;
        dbCommand.CommandType = CommandType.Text;
        dbCommand.Transaction = transaction;
        if (command.TimeoutSeconds is { } timeout)
        {
            dbCommand.CommandTimeout = timeout;
        }

        command.Parameters?.AddTo(dbCommand);
        if (_prefixedSql is not null)
        {
            // After the parameters, which may rewrite the text (a list expanded per call: prefixed per call too).
            dbCommand.CommandText = ReferenceEquals(dbCommand.CommandText, command.Sql) ? _prefixedSql.GetValue(command.Sql, _prefix!) : _tenantPrefix + dbCommand.CommandText;
        }
        else if (ReferenceEquals(dbCommand.CommandText, command.Sql) && Positional(command)?.Bind(command.Sql, dbCommand.Parameters) is { } positional)
        {
            // Not a text a list rewrote for this call, nor a tenant's prefixed one (two statements, which need the names).
            dbCommand.CommandText = positional;
        }

        return dbCommand;
    }

    // Whether command's values are now set on the parameters a kept command was bound with for the same statement.
    private static bool Rebound(Command command, DbParameterCollection kept)
    {
        var at = 0;
        return command.Parameters is { } parameters ? parameters.SetValuesOn(kept, ref at) && at == kept.Count : kept.Count == 0;
    }

    // Whether dbCommand was sent with command's own text, or its positional form: not a text a list rewrote for this call.
    private bool RanAsWritten(Command command, DbCommand dbCommand) =>
        ReferenceEquals(dbCommand.CommandText, command.Sql) || _positional?.IsFormOf(command.Sql, dbCommand.CommandText) == true;

    // Where the driver would parse the named placeholders of a text Premix wrote and sends again (IPositionalPlaceholders).
    private PositionalTexts? Positional(Command command) => command.Parameters is { TextIsReused: true } ? _positional : null;

    /// <summary>
    /// Refuses a statement larger than the engine's server accepts before sending it (see <see cref="StatementSizeGuard"/>),
    /// as a <see cref="DatabaseCommandException"/> without a driver error: the server would refuse it and close the
    /// connection. Engines without such a limit pay one null check; others a loop over the parameters' lengths.
    /// </summary>
    private ValueTask RefuseIfTooLargeAsync(bool async, DbConnection connection, DbTransaction? transaction, Command command, DbCommand dbCommand, CancellationToken cancellationToken) =>
        _sizes is null || _sizes.Fits(_sizes.Measure(dbCommand.CommandText, dbCommand.Parameters, exact: false))
            ? ValueTask.CompletedTask
            : RefuseIfOverAsync(async, connection, transaction, command, _sizes.Measure(dbCommand.CommandText, dbCommand.Parameters, exact: true), cancellationToken);

    /// <summary>The same for a batch, which the driver may send as one statement (MySqlConnector does).</summary>
    private ValueTask RefuseIfTooLargeAsync(bool async, DbConnection connection, DbTransaction? transaction, Command first, DbBatch batch, CancellationToken cancellationToken)
    {
        if (_sizes is null || _sizes.Fits(Measure(_sizes, batch, exact: false)))
        {
            return ValueTask.CompletedTask;
        }

        return RefuseIfOverAsync(async, connection, transaction, first, Measure(_sizes, batch, exact: true), cancellationToken);

        static long Measure(StatementSizeGuard sizes, DbBatch batch, bool exact)
        {
            long size = 0;
            for (var i = 0; i < batch.BatchCommands.Count; i++)
            {
                size += sizes.Measure(batch.BatchCommands[i].CommandText, batch.BatchCommands[i].Parameters, exact);
            }

            return size;
        }
    }

    private async ValueTask RefuseIfOverAsync(bool async, DbConnection connection, DbTransaction? transaction, Command command, long size, CancellationToken cancellationToken)
    {
        if (await _sizes!.LimitForAsync(async, connection, transaction, size, cancellationToken).ConfigureAwait(false) is { } limit && size >= limit)
        {
            var reason = _sizes.Describe(size, limit);
            Log.CommandFailed(logger, command.Operation, command.Entity, 0, reason, ParameterDescription.Describe(command.Parameters, logParameterValues), Environment.NewLine, command.Sql);
            throw new DatabaseCommandException(command.Operation, command.Entity, command.Sql, reason);
        }
    }

    /// <summary>
    /// What ends a statement as a failure the executor reports: the caller's token cancelled it, the driver (or the
    /// reading of a value) refused it, or the socket failed under it (MySqlConnector throws a bare <see cref="SocketException"/>
    /// when a pooled connection the server has closed is used again). Anything else (a Premix error raised while reading)
    /// passes through unchanged.
    /// </summary>
    private static bool IsStatementFailure(Exception error, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested || error is DbException or DataException or InvalidCastException or FormatException or IOException or SocketException;

    /// <summary>
    /// The exception a failed statement raises: the caller's cancellation, or the driver's error wrapped and scrubbed, with
    /// what it means for trying again as the provider reads it with <paramref name="connection"/> as the error left it.
    /// </summary>
    private Exception Fail(DbConnection connection, Command command, CommandTrace trace, Exception error, CancellationToken cancellationToken, IEnumerable<string>? sensitiveValues = null)
    {
        Exception failure = cancellationToken.IsCancellationRequested ? Cancelled(trace, error, cancellationToken) : Failed(connection, command, trace, error, sensitiveValues);
        if (StatementRecording.IsActive)
        {
            StatementRecording.Executed(this, command, startsRoundTrip: true, -1, trace.Elapsed, failure);
        }

        return failure;
    }

    /// <summary>
    /// Ends a statement's trace, logs it and shows it to the recorders of its flow (the log line and the recording alone
    /// for a statement that shared a batch's trace: pass <see langword="null"/>).
    /// </summary>
    private void Executed(Command command, string operation, CommandTrace? trace, long rows, TimeSpan? elapsed = null, bool startsRoundTrip = true)
    {
        trace?.Succeeded(rows);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.CommandExecuted(logger, operation, command.Entity, (elapsed ?? trace?.Elapsed ?? TimeSpan.Zero).TotalMilliseconds, ParameterDescription.Describe(command.Parameters, logParameterValues), Environment.NewLine, command.Sql);
        }

        if (StatementRecording.IsActive)
        {
            StatementRecording.Executed(this, command, startsRoundTrip, rows, elapsed ?? trace?.Elapsed ?? TimeSpan.Zero, null);
        }
    }

    /// <summary>
    /// A statement the caller's token cancelled: drivers report it their own way (an error, or a cancellation without
    /// the token), so the caller always gets an <see cref="OperationCanceledException"/> carrying their token.
    /// </summary>
    private static OperationCanceledException Cancelled(CommandTrace trace, Exception error, CancellationToken cancellationToken)
    {
        trace.Failed(error, "Cancelled by the caller.");
        return new OperationCanceledException("The statement was cancelled by the caller's token.", error, cancellationToken);
    }

    /// <summary>
    /// Logs a failed statement and wraps the driver's exception, with sensitive values scrubbed from the message (and a
    /// constraint violation's values masked, whatever the column).
    /// </summary>
    private DatabaseCommandException Failed(DbConnection connection, Command command, CommandTrace trace, Exception error, IEnumerable<string>? sensitiveValues)
    {
        var violation = Violation(error, command.Entity);
        var reason = SensitiveData.Scrub(violation?.MaskedMessage ?? provider.ExplainFailure(error, connection) ?? error.Message, sensitiveValues ?? command.Parameters?.SensitiveValues() ?? []);
        trace.Failed(error, reason);
        Log.CommandFailed(logger, command.Operation, command.Entity, trace.Elapsed.TotalMilliseconds, reason, ParameterDescription.Describe(command.Parameters, logParameterValues), Environment.NewLine, command.Sql);
        return Wrap(provider, command.Operation, command.Entity, command.Sql, error, reason, violation, provider.Classify(error, connection), ReplicaOf);
    }

    /// <summary>
    /// Wraps a driver's error that ended a statement, or a BEGIN or COMMIT (<see cref="Tracking.UnitOfWork"/>), in the
    /// exception Premix throws for it: a <see cref="UniqueConstraintException"/> or <see cref="ForeignKeyViolationException"/>
    /// when the provider reads it as one, a <see cref="DatabaseCommandException"/> otherwise.
    /// </summary>
    public DatabaseCommandException Wrap(string operation, string? entity, string sql, Exception error, DatabaseErrorKind kind)
    {
        var violation = Violation(error, entity);
        return Wrap(provider, operation, entity, sql, error, violation?.MaskedMessage ?? error.Message, violation, kind, ReplicaOf);
    }

    private ConstraintViolation? Violation(Exception error, string? entity) =>
        provider.DescribeConstraintViolation(error) is { } violation ? constraints?.Complete(violation, entity) ?? violation : null;

    /// <summary>
    /// The exception for <paramref name="error"/> with <paramref name="reason"/> as its message. What only the driver's own
    /// exception tells (<see cref="IDatabaseProvider.IsServerUnavailable"/>, and for a replica's statement
    /// <paramref name="replicaOf"/>'s read-only refusal and command timeout) is read here, since a redacted copy is not of
    /// the driver's type and keeps none of its inner exceptions.
    /// </summary>
    internal static DatabaseCommandException Wrap(IDatabaseProvider provider, string operation, string? entity, string sql, Exception error, string reason, ConstraintViolation? violation, DatabaseErrorKind kind, IReadReplicaProvider? replicaOf = null)
    {
        // A message that held a value must not survive in the driver's exception either: keep a redacted copy.
        var inner = reason == error.Message ? error : new RedactedDatabaseException(reason, error);
        return violation?.Kind switch
        {
            ConstraintViolationKind.Unique => new UniqueConstraintException(operation, entity, sql, violation with { MaskedMessage = reason }, inner),
            ConstraintViolationKind.ForeignKey => new ForeignKeyViolationException(operation, entity, sql, violation with { MaskedMessage = reason }, inner),
            _ => new DatabaseCommandException(operation, entity, sql, reason, inner, kind)
            {
                ServerUnavailable = provider.IsServerUnavailable(error),
                ReadOnlyRefusal = replicaOf?.IsReadOnlyRefusal(error) == true,
                CommandTimedOut = replicaOf?.IsCommandTimeout(error) == true,
            },
        };
    }

    private static readonly Func<DbDataReader, object> FirstColumn = static reader => reader.GetValue(0);

    private static async ValueTask<object?> ReadFirstRowAsync(bool async, DbCommand command, Func<DbDataReader, object> readRow, CancellationToken cancellationToken)
    {
        var reader = async ? await command.ExecuteReaderAsync(CommandBehavior.SingleResult, cancellationToken).ConfigureAwait(false) : command.ExecuteReader(CommandBehavior.SingleResult);
        await using (reader.ConfigureAwait(false))
        {
            return (async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read()) ? readRow(reader) : null;
        }
    }

    private static async ValueTask<object?[]> ReadFirstRowsAsync(bool async, DbBatch batch, int count, Func<DbDataReader, object> readRow, CancellationToken cancellationToken)
    {
        var values = new object?[count];
        var reader = async ? await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : batch.ExecuteReader();
        await using (reader.ConfigureAwait(false))
        {
            for (var i = 0; i < count; i++)
            {
                if (i > 0 && !(async ? await reader.NextResultAsync(cancellationToken).ConfigureAwait(false) : reader.NextResult()))
                {
                    break;
                }

                if (async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read())
                {
                    values[i] = readRow(reader);
                }
            }
        }

        return values;
    }

    private static async ValueTask<object?[]> RecordsAffectedAsync(bool async, DbBatch batch, CancellationToken cancellationToken)
    {
        if (async)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            batch.ExecuteNonQuery();
        }

        var rows = new object?[batch.BatchCommands.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = batch.BatchCommands[i].RecordsAffected;
        }

        return rows;
    }
}
