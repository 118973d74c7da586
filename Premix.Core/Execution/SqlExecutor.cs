using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using Premix.Diagnostics;
using Premix.Resilience;

namespace Premix.Execution;

/// <summary>
/// The one place where Premix runs SQL: repositories, the unit of work and raw SQL all pass through here, so logging,
/// error wrapping and masking (and later tracing, metrics and resilience) live once.
/// </summary>
/// <remarks>
/// Each method takes <c>async</c>: <see langword="false"/> runs the driver's synchronous API and completes at once, so the
/// synchronous twins of the public API share this code without blocking on a task. With a driver whose async methods
/// are synchronous anyway (<see cref="Providers.IDatabaseProvider.CompletesSynchronously"/>), the row-by-row loops
/// (reading entities, re-running one write per row) call the synchronous API and check the cancellation token
/// themselves, as the driver's async methods would.
/// </remarks>
internal sealed partial class SqlExecutor(ILogger logger, TelemetryContext telemetry, bool logParameterValues, Providers.IDatabaseProvider provider, RetryPolicy retries)
{
    private readonly bool _driverCompletesSynchronously = provider.CompletesSynchronously;

    /// <summary>The engine and database this executor's spans and measurements name.</summary>
    public TelemetryContext Telemetry => telemetry;

    /// <summary>How transient failures are retried.</summary>
    public RetryPolicy Retries => retries;

    public ValueTask<int> ExecuteAsync(bool async, DbConnection connection, DbTransaction? transaction, Command command, CancellationToken cancellationToken) =>
        RunAsync(async, connection, transaction, command, static (c, d) => c.Execute(d), static (c, d) => c.ExecuteAsync(d), cancellationToken);

    public ValueTask<T?> ScalarAsync<T>(bool async, DbConnection connection, DbTransaction? transaction, Command command, CancellationToken cancellationToken) =>
        RunAsync(async, connection, transaction, command, static (c, d) => c.ExecuteScalar<T>(d), static (c, d) => c.ExecuteScalarAsync<T>(d), cancellationToken);

    public ValueTask<T?> FirstOrDefaultAsync<T>(bool async, DbConnection connection, DbTransaction? transaction, Command command, CancellationToken cancellationToken) =>
        RunAsync(async, connection, transaction, command, static (c, d) => c.QueryFirstOrDefault<T>(d), static (c, d) => c.QueryFirstOrDefaultAsync<T>(d), cancellationToken);

    public ValueTask<IReadOnlyList<T>> QueryAsync<T>(bool async, DbConnection connection, DbTransaction? transaction, Command command, CancellationToken cancellationToken) =>
        RunAsync(async, connection, transaction, command, static (c, d) => AsList(c.Query<T>(d)), static async (c, d) => AsList(await c.QueryAsync<T>(d).ConfigureAwait(false)), cancellationToken);

    /// <summary>Runs <paramref name="runAsync"/> (or, when <paramref name="async"/> is false, <paramref name="runSync"/>, which must then be given).</summary>
    public async ValueTask<TResult> RunAsync<TResult>(
        bool async,
        DbConnection connection,
        DbTransaction? transaction,
        Command command,
        Func<DbConnection, CommandDefinition, TResult>? runSync,
        Func<DbConnection, CommandDefinition, Task<TResult>> runAsync,
        CancellationToken cancellationToken)
    {
        var definition = new CommandDefinition(command.Sql, command.Parameters, transaction, commandType: CommandType.Text, cancellationToken: cancellationToken);
        var trace = telemetry.Start(command);
        using var cancellation = provider.CancelOnToken(connection, cancellationToken);
        try
        {
            var result = async ? await runAsync(connection, definition).ConfigureAwait(false) : runSync!(connection, definition);
            Executed(command, command.Operation, trace, result switch { int affected => affected, System.Collections.ICollection rows => rows.Count, _ => -1 });
            return result;
        }
        catch (Exception e) when (e is DbException or DataException && !cancellationToken.IsCancellationRequested)
        {
            throw Failed(command, trace, e);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested)
        {
            throw Cancelled(trace, e, cancellationToken);
        }
    }

    /// <summary>
    /// Runs an entity SELECT of a plan and builds up to <paramref name="limit"/> entities with the plan's compiled row
    /// reader (typed getters by ordinal), on a command bound by the plan's parameters.
    /// </summary>
    /// <remarks>Its state machine is pooled: a read that really waits on the network then allocates no box for it.</remarks>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<List<T>> ReadEntitiesAsync<T>(bool async, DbConnection connection, DbTransaction? transaction, Command command, Func<DbDataReader, object> readRow, int limit, CancellationToken cancellationToken)
    {
        var dbCommand = connection.CreateCommand();
        await using (dbCommand.ConfigureAwait(false))
        {
            dbCommand.CommandText = command.Sql;
            dbCommand.CommandType = CommandType.Text;
            dbCommand.Transaction = transaction;
            ((SqlMapper.IDynamicParameters?)command.Parameters)?.AddParameters(dbCommand, identity: null!);
            var behavior = limit == 1 ? CommandBehavior.SingleResult | CommandBehavior.SingleRow : CommandBehavior.SingleResult;
            var trace = telemetry.Start(command);
            using var cancellation = provider.CancelOnToken(connection, cancellationToken);
            var checkCancellation = async && _driverCompletesSynchronously;
            async &= !_driverCompletesSynchronously;
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                var reader = async ? await dbCommand.ExecuteReaderAsync(behavior, cancellationToken).ConfigureAwait(false) : dbCommand.ExecuteReader(behavior);
                var rows = new List<T>(limit == 1 ? 1 : 16);
                await using (reader.ConfigureAwait(false))
                {
                    while (rows.Count < limit && (async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read()))
                    {
                        rows.Add((T)readRow(reader));
                        if (checkCancellation)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                        }
                    }
                }

                Executed(command, command.Operation, trace, rows.Count);
                return rows;
            }
            catch (Exception e) when (e is DbException or InvalidCastException or FormatException && !cancellationToken.IsCancellationRequested)
            {
                throw Failed(command, trace, e);
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested)
            {
                throw Cancelled(trace, e, cancellationToken);
            }
        }
    }

    /// <summary>Streams the entities of a plan's SELECT as they are read; the statement is logged once the stream ends.</summary>
    public async IAsyncEnumerable<T> StreamEntitiesAsync<T>(DbConnection connection, DbTransaction? transaction, Command command, Func<DbDataReader, object> readRow, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var dbCommand = connection.CreateCommand();
        await using (dbCommand.ConfigureAwait(false))
        {
            dbCommand.CommandText = command.Sql;
            dbCommand.CommandType = CommandType.Text;
            dbCommand.Transaction = transaction;
            ((SqlMapper.IDynamicParameters?)command.Parameters)?.AddParameters(dbCommand, identity: null!);
            var trace = telemetry.Start(command);
            using var cancellation = provider.CancelOnToken(connection, cancellationToken);
            DbDataReader reader;
            try
            {
                reader = await dbCommand.ExecuteReaderAsync(CommandBehavior.SingleResult, cancellationToken).ConfigureAwait(false);
            }
            catch (DbException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw Failed(command, trace, e);
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested)
            {
                throw Cancelled(trace, e, cancellationToken);
            }

            var rows = 0;
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows++;
                    yield return (T)readRow(reader);
                }
            }

            Executed(command, command.Operation, trace, rows);
        }
    }

    /// <summary>Ends a statement's trace and logs it (the log line alone for a statement that shared a batch's trace: pass <see langword="null"/>).</summary>
    private void Executed(Command command, string operation, CommandTrace? trace, long rows, TimeSpan? elapsed = null)
    {
        trace?.Succeeded(rows);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.CommandExecuted(logger, operation, command.Entity, (elapsed ?? trace?.Elapsed ?? TimeSpan.Zero).TotalMilliseconds, ParameterDescription.Describe(command.Parameters, logParameterValues), Environment.NewLine, command.Sql);
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

    /// <summary>Logs a failed statement and wraps the driver's exception, with sensitive values scrubbed from the message.</summary>
    private DatabaseCommandException Failed(Command command, CommandTrace trace, Exception error, IEnumerable<string>? sensitiveValues = null)
    {
        sensitiveValues ??= command.Parameters switch
        {
            EntityParameters entity => entity.SensitiveValues(),
            ArrayParameters arrays => arrays.SensitiveValues(),
            SensitiveArguments raw => raw.SensitiveValues(),
            Querying.QueryParameters query => query.SensitiveValues(),
            _ => [],
        };
        var reason = SensitiveData.Scrub(error.Message, sensitiveValues);
        trace.Failed(error, reason);
        Log.CommandFailed(logger, command.Operation, command.Entity, trace.Elapsed.TotalMilliseconds, reason, ParameterDescription.Describe(command.Parameters, logParameterValues), Environment.NewLine, command.Sql);
        // A message that held a sensitive value must not survive in the driver's exception either: keep a redacted copy.
        var inner = reason == error.Message ? error : new RedactedDatabaseException(reason, error);
        return new DatabaseCommandException(command.Operation, command.Entity, command.Sql, reason, inner, provider.Classify(error));
    }

    /// <summary>
    /// Sends <paramref name="commands"/> (entity statements) in one round trip, in order. Returns per command the value of
    /// its first column when <paramref name="readKeys"/> (an INSERT ... RETURNING key), otherwise the rows it matched.
    /// </summary>
    public async ValueTask<object?[]> ExecuteBatchAsync(bool async, DbConnection connection, DbTransaction transaction, IReadOnlyList<Command> commands, bool readKeys, CancellationToken cancellationToken)
    {
        var batch = connection.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            batch.Transaction = transaction;
            foreach (var command in commands)
            {
                var batchCommand = batch.CreateBatchCommand();
                batchCommand.CommandText = command.Sql;
                batchCommand.CommandType = CommandType.Text;
                ((EntityParameters)command.Parameters!).AddTo(batchCommand);
                batch.BatchCommands.Add(batchCommand);
            }

            var trace = telemetry.Start(commands[0], commands.Count);
            using var cancellation = provider.CancelOnToken(connection, cancellationToken);
            try
            {
                var results = readKeys
                    ? await ReadFirstColumnsAsync(async, batch, commands.Count, cancellationToken).ConfigureAwait(false)
                    : await RecordsAffectedAsync(async, batch, cancellationToken).ConfigureAwait(false);
                var elapsed = trace.Elapsed;
                trace.Succeeded(commands.Count);
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    for (var i = 0; i < commands.Count; i++)
                    {
                        Executed(commands[i], $"{commands[i].Operation} ({i + 1} of a batch of {commands.Count})", null, -1, elapsed);
                    }
                }

                return results;
            }
            catch (DbException e) when (!cancellationToken.IsCancellationRequested)
            {
                var index = e.BatchCommand is { } failed ? batch.BatchCommands.IndexOf(failed) : -1;
                throw Failed(commands[Math.Max(index, 0)], trace, e, commands.SelectMany(c => ((EntityParameters)c.Parameters!).SensitiveValues()));
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested)
            {
                throw Cancelled(trace, e, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Runs one statement once per command (all with the same SQL) on a single command object whose parameter values
    /// are re-bound each time, so the driver keeps one prepared statement. Returns per command its generated key
    /// (<paramref name="readKeys"/>) or the rows it matched.
    /// </summary>
    public async ValueTask<object?[]> ExecuteRepeatedAsync(bool async, DbConnection connection, DbTransaction transaction, IReadOnlyList<Command> commands, bool readKeys, CancellationToken cancellationToken)
    {
        var dbCommand = connection.CreateCommand();
        await using (dbCommand.ConfigureAwait(false))
        {
            dbCommand.CommandText = commands[0].Sql;
            dbCommand.CommandType = CommandType.Text;
            dbCommand.Transaction = transaction;
            var results = new object?[commands.Count];
            async &= !_driverCompletesSynchronously;
            using var cancellation = provider.CancelOnToken(connection, cancellationToken);
            for (var i = 0; i < commands.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var parameters = (EntityParameters)commands[i].Parameters!;
                if (i == 0)
                {
                    parameters.AddParameters(dbCommand, identity: null!);
                }
                else
                {
                    parameters.SetValues(dbCommand);
                }

                var trace = telemetry.Start(commands[i]);
                try
                {
                    results[i] = readKeys
                        ? async ? await dbCommand.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) : dbCommand.ExecuteScalar()
                        : async ? await dbCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) : dbCommand.ExecuteNonQuery();
                }
                catch (DbException e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw Failed(commands[i], trace, e);
                }
                catch (Exception e) when (cancellationToken.IsCancellationRequested)
                {
                    throw Cancelled(trace, e, cancellationToken);
                }

                Executed(commands[i], commands[i].Operation, trace, readKeys ? 1 : Convert.ToInt64(results[i], System.Globalization.CultureInfo.InvariantCulture));
            }

            return results;
        }
    }

    /// <summary>
    /// Runs a many-row statement (<see cref="Providers.IArrayWriteDialect"/>) over <paramref name="rows"/> rows. Returns per
    /// row, in order, its generated key when <paramref name="readKeys"/> (the statement returns one per row, in row
    /// order); otherwise 1 if the statement matched it and 0 if not (the statement returns the 1-based position of
    /// each row it matched).
    /// </summary>
    public async ValueTask<object?[]> ExecuteManyAsync(bool async, DbConnection connection, DbTransaction transaction, Command command, int rows, bool readKeys, CancellationToken cancellationToken)
    {
        var dbCommand = connection.CreateCommand();
        await using (dbCommand.ConfigureAwait(false))
        {
            dbCommand.CommandText = command.Sql;
            dbCommand.CommandType = CommandType.Text;
            dbCommand.Transaction = transaction;
            ((SqlMapper.IDynamicParameters)command.Parameters!).AddParameters(dbCommand, identity: null!);
            var trace = telemetry.Start(command);
            using var cancellation = provider.CancelOnToken(connection, cancellationToken);
            try
            {
                var results = new object?[rows];
                if (!readKeys)
                {
                    Array.Fill(results, 0);
                }

                var reader = async ? await dbCommand.ExecuteReaderAsync(CommandBehavior.SingleResult, cancellationToken).ConfigureAwait(false) : dbCommand.ExecuteReader(CommandBehavior.SingleResult);
                await using (reader.ConfigureAwait(false))
                {
                    for (var i = 0; async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read(); i++)
                    {
                        if (readKeys)
                        {
                            results[i] = reader.GetValue(0);
                        }
                        else
                        {
                            results[reader.GetInt64(0) - 1] = 1;
                        }
                    }
                }

                Executed(command, command.Operation, trace, rows);
                return results;
            }
            catch (DbException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw Failed(command, trace, e);
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested)
            {
                throw Cancelled(trace, e, cancellationToken);
            }
        }
    }

    private static async ValueTask<object?[]> ReadFirstColumnsAsync(bool async, DbBatch batch, int count, CancellationToken cancellationToken)
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
                    values[i] = reader.GetValue(0);
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

    // Dapper's buffered queries return a List<T> already; only wrap when it did not.
    private static IReadOnlyList<T> AsList<T>(IEnumerable<T> rows) => rows as IReadOnlyList<T> ?? rows.ToList();
}
