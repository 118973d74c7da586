using System.Data;
using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Premix.Execution;

/// <summary>
/// The one place where Premix runs SQL: repositories, the unit of work and raw SQL all pass through here, so logging,
/// error wrapping and masking (and later tracing, metrics and resilience) live once.
/// </summary>
/// <remarks>
/// Each method takes <c>async</c>: <see langword="false"/> runs the driver's synchronous API and completes at once, so the
/// synchronous twins of the public API share this code without blocking on a task.
/// </remarks>
internal sealed class SqlExecutor(ILogger logger, bool logParameterValues)
{
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
        var start = Stopwatch.GetTimestamp();
        try
        {
            var result = async ? await runAsync(connection, definition).ConfigureAwait(false) : runSync!(connection, definition);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                Log.CommandExecuted(logger, command.Operation, command.Entity, Stopwatch.GetElapsedTime(start).TotalMilliseconds, ParameterDescription.Describe(command.Parameters, logParameterValues), Environment.NewLine, command.Sql);
            }

            return result;
        }
        catch (Exception e) when (e is DbException or DataException && !cancellationToken.IsCancellationRequested)
        {
            var reason = command.Parameters is EntityParameters entity ? SensitiveData.Scrub(e.Message, entity.SensitiveValues()) : e.Message;
            Log.CommandFailed(logger, command.Operation, command.Entity, Stopwatch.GetElapsedTime(start).TotalMilliseconds, reason, ParameterDescription.Describe(command.Parameters, logParameterValues), Environment.NewLine, command.Sql);
            throw new DatabaseCommandException(command.Operation, command.Entity, command.Sql, reason, e);
        }
    }

    // Dapper's buffered queries return a List<T> already; only wrap when it did not.
    private static IReadOnlyList<T> AsList<T>(IEnumerable<T> rows) => rows as IReadOnlyList<T> ?? rows.ToList();
}
