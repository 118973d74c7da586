using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Premix.Diagnostics;
using Premix.Execution;
using Premix.Providers;
using Premix.Resilience;

namespace Premix.Migrations;

/// <summary>
/// The statements of schema sync, diff and migrations run through the database's <see cref="SqlExecutor"/>, like every
/// other Premix statement: logged (event <see cref="PremixEventId.CommandExecuted"/>, parameters masked), traced,
/// measured, and failures wrapped as <see cref="DatabaseCommandException"/>. They run on the connection they are given
/// (the migrator's, which holds its lock, or the sync's, which holds its transaction) and are never retried: a DDL
/// statement or a history write may have taken effect before a failure.
/// </summary>
/// <remarks>
/// A sync's DDL and a schema read's catalog queries are issued inside the providers' public
/// <see cref="SchemaDialect.ApplyAsync"/> and <see cref="SchemaDialect.ReadAsync"/>, so the diff, the sync and the
/// scaffolder set their executor for the flow they run in (an <see cref="AsyncLocal{T}"/>, as
/// <see cref="System.Diagnostics.Activity.Current"/> is) instead of every signature carrying it.
/// </remarks>
internal static class SchemaExecution
{
    private static readonly AsyncLocal<SqlExecutor?> Current = new();

    /// <summary>The executor of <paramref name="premix"/>.</summary>
    public static SqlExecutor Of(IPremix premix)
    {
        ArgumentNullException.ThrowIfNull(premix);
        if (premix is PremixDatabase { ServesTenants: true })
        {
            throw new TenantRequiredException("This Premix serves tenants (UseTenants): its schema is each tenant's, so sync and migrations run per tenant. Call SyncAllTenantsAsync / MigrateAllTenantsAsync, or premix migrate up-all-tenants --assembly app.dll.");
        }

        return (premix as PremixDatabase)?.Executor
            ?? throw new NotSupportedException($"Schema changes and migrations run on an IPremix made by AddPremix or PremixFactory.Create; {premix.GetType().Name} is not one.");
    }

    /// <summary>Runs the schema statements issued until the returned scope is disposed through <paramref name="premix"/>'s executor.</summary>
    public static Scope Begin(IPremix premix) => Begin(Of(premix));

    /// <summary>
    /// Runs the schema statements issued until the returned scope is disposed through an executor of
    /// <paramref name="provider"/> alone (scaffolding from a provider without an <see cref="IPremix"/>): traced, measured and
    /// wrapped like any statement, logged nowhere.
    /// </summary>
    public static Scope Begin(IDatabaseProvider provider)
    {
        var telemetry = new TelemetryContext(provider.Name, provider.Target, new Dictionary<string, string>());
        return Begin(new SqlExecutor(NullLogger.Instance, telemetry, false, provider, new RetryPolicy(new ResilienceOptions { Enabled = false }, provider, NullLogger.Instance, telemetry)));
    }

    /// <summary>The executor of the diff, sync or scaffolding running in this flow.</summary>
    public static SqlExecutor Ambient => Current.Value
        ?? throw new InvalidOperationException($"A {nameof(SchemaDialect)} reads and changes the schema inside DiffAsync, SyncAsync and Scaffolder.ScaffoldAsync, which log and trace its statements; call those instead.");

    /// <summary>Runs a statement that returns no rows; <paramref name="operation"/> names it in logs, spans and errors (<c>Sync</c>, <c>Migrate</c>, <c>MigrationHistory</c>).</summary>
    public static async Task<int> ExecuteAsync(
        this SqlExecutor executor, DbConnection connection, DbTransaction? transaction, string operation, string sql, IStatementParameters? parameters, CancellationToken cancellationToken, int? timeoutSeconds = null) =>
        await executor.ExecuteAsync(true, connection, transaction, new Command(operation, null, sql, parameters), timeoutSeconds, cancellationToken).ConfigureAwait(false);

    /// <summary>Runs a query and returns the first column of its first row.</summary>
    public static async Task<object?> ScalarAsync(
        this SqlExecutor executor, DbConnection connection, DbTransaction? transaction, string operation, string sql, IStatementParameters? parameters, CancellationToken cancellationToken, int? timeoutSeconds = null) =>
        await executor.ScalarAsync(true, connection, transaction, new Command(operation, null, sql, parameters), timeoutSeconds, cancellationToken).ConfigureAwait(false);

    /// <summary>Runs a query and maps each row as Dapper would (<c>QueryAsync&lt;T&gt;</c>: columns to properties by name, a single column to a simple type).</summary>
    /// <exception cref="NotSupportedException">Under native AOT, which cannot run Dapper's mappers.</exception>
    public static async Task<List<T>> QueryAsync<T>(
        this SqlExecutor executor, DbConnection connection, DbTransaction? transaction, string operation, string sql, IStatementParameters? parameters, CancellationToken cancellationToken)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            // Every catalog read of the diff, the sync and the scaffolder comes here: refused by name, not by Dapper's
            // PlatformNotSupportedException from deep inside its deserializer, which names no Premix operation. The premix
            // tool has dynamic code on even for a PublishAot app (RuntimeConfig.ForTool), so nothing else than the switch
            // is tested: the AOT compiler reads it as a constant and leaves Dapper's deserializer out of the binary.
            throw new NotSupportedException(
                "Premix.Migrations reads the schema from the database's catalog (DiffAsync, SyncAsync, VerifySchemaAsync and VerifySchemaAtStartup, "
                + "the readiness check's schema comparison, scaffolding) with Dapper's mappers, code generated at run time, which native AOT cannot run. "
                + "Compare or sync the schema with premix diff / premix sync from the JIT tool; versioned migrations (MigrateAsync) run under native AOT (docs/aot.md).");
        }

        return await executor.ReadRowsAsync<T>(true, connection, transaction, new Command(operation, null, sql, parameters), DapperRows<T>.Instance, int.MaxValue, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends what <see cref="Begin(IPremix)"/> started, restoring any outer executor.</summary>
    public readonly struct Scope(SqlExecutor? outer) : IDisposable
    {
        public void Dispose() => Current.Value = outer;
    }

    /// <summary>Runs the schema statements issued until the returned scope is disposed through <paramref name="executor"/>.</summary>
    public static Scope Begin(SqlExecutor executor)
    {
        var outer = Current.Value;
        Current.Value = executor;
        return new Scope(outer);
    }

    /// <summary>Rows mapped by Dapper's parser for the columns the statement returned.</summary>
    private sealed class DapperRows<T> : RowReader
    {
        public static readonly DapperRows<T> Instance = new();

        // The untyped parser: the typed one cannot hand a single-column (string) reader back as Func<DbDataReader, string>.
        public override Func<DbDataReader, object> Open(DbDataReader reader, string sql) => reader.GetRowParser(typeof(T));
    }
}
