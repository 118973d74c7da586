using System.Data.Common;
using Premix.Execution;

namespace Premix.Migrations;

/// <summary>Schema sync for an <see cref="IPremix"/>: compare the mapping with the live database, script it, apply it, or check it at startup.</summary>
public static class PremixSchemaExtensions
{
    /// <summary>Compares the mapping with the live schema and returns the changes and their DDL, without applying anything.</summary>
    public static Task<SchemaDiff> DiffAsync(this IPremix premix, SyncOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync(premix, apply: false, options ?? new SyncOptions(), cancellationToken);

    /// <summary>
    /// Applies the safe changes that make the live schema match the mapping and returns what it did. Changes that can
    /// lose data are refused (nothing at all is applied) unless <see cref="SyncOptions.AllowDestructive"/> is set.
    /// </summary>
    /// <exception cref="DestructiveSchemaChangeException">Some change can lose data and was not allowed; the message lists each and why.</exception>
    /// <exception cref="SchemaChangeException">The database refused a statement.</exception>
    public static Task<SchemaDiff> SyncAsync(this IPremix premix, SyncOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync(premix, apply: true, options ?? new SyncOptions(), cancellationToken);

    /// <summary>
    /// Schema per tenant: syncs (<paramref name="apply"/>) or compares the tables mapped to a schema of their own, which
    /// every tenant shares and no tenant's sync changes, once, on <paramref name="root"/>'s configured database.
    /// <c>SyncAllTenantsAsync</c> syncs them before the tenants' runs; the readiness check compares them.
    /// </summary>
    internal static Task<SchemaDiff> SharedTablesAsync(PremixDatabase root, bool apply, SyncOptions? options, CancellationToken cancellationToken) =>
        RunAsync(root.Executor, root.Provider, root.Model, static t => t.Schema is not null, apply, options ?? new SyncOptions(), cancellationToken);

    private static Task<SchemaDiff> RunAsync(IPremix premix, bool apply, SyncOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(premix);

        // A schema per tenant: a table of a schema of its own is shared by every tenant, so no tenant's sync changes it
        // (each tenant's would, some at once). It is synced once, on the configured database (SharedTablesAsync).
        Func<TableSchema, bool> tables = premix is PremixDatabase { SharesNamedSchemas: true } ? static t => t.Schema is null : static _ => true;
        return RunAsync(SchemaExecution.Of(premix), premix.Provider, premix.Model, tables, apply, options, cancellationToken);
    }

    private static async Task<SchemaDiff> RunAsync(SqlExecutor executor, Providers.IDatabaseProvider provider, Mapping.Model model, Func<TableSchema, bool> tables, bool apply, SyncOptions options, CancellationToken cancellationToken)
    {
        var dialect = Dialect(provider);
        using var execution = SchemaExecution.Begin(executor);
        var connection = provider.CreateConnection();
        await using (connection.ConfigureAwait(false))
        {
            await ConnectionOpener.OpenAsync(true, connection, provider, cancellationToken).ConfigureAwait(false);
            var diff = await DiffAsync(executor, model, tables, dialect, connection, options, cancellationToken).ConfigureAwait(false);
            if (!apply)
            {
                return diff;
            }

            if (diff.Destructive.Count > 0 && !options.AllowDestructive)
            {
                throw new DestructiveSchemaChangeException(diff.Destructive);
            }

            if (!diff.IsEmpty)
            {
                await dialect.ApplyAsync(connection, diff.Statements, cancellationToken).ConfigureAwait(false);
            }

            return diff;
        }
    }

    /// <summary>Throws when the live schema differs from the mapping, listing every difference (an index the mapping does not name is none).</summary>
    /// <exception cref="SchemaMismatchException">The schema differs.</exception>
    public static async Task VerifySchemaAsync(this IPremix premix, CancellationToken cancellationToken = default)
    {
        var diff = await premix.DiffAsync(null, cancellationToken).ConfigureAwait(false);
        if (!diff.IsEmpty)
        {
            throw new SchemaMismatchException(diff.Operations);
        }
    }

    /// <summary>Fails the start (<c>AddPremix</c>, <c>PremixFactory.Create</c>) when the live schema differs from the mapping, listing every difference.</summary>
    public static PremixOptionsBuilder VerifySchemaAtStartup(this PremixOptionsBuilder options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AddStartupCheck(premix => premix.VerifySchemaAsync().GetAwaiter().GetResult());
    }

    private static SchemaDialect Dialect(Providers.IDatabaseProvider provider) =>
        provider.SchemaSupport()?.Schema
            ?? throw new NotSupportedException($"The {provider.Name} provider does not support schema changes: it neither implements {nameof(ISchemaProvider)} nor serves it through {nameof(IServiceProvider)}.");

    private static async Task<SchemaDiff> DiffAsync(SqlExecutor executor, Mapping.Model model, Func<TableSchema, bool> tables, SchemaDialect dialect, DbConnection connection, SyncOptions options, CancellationToken cancellationToken)
    {
        var desired = DesiredSchema.From(model, dialect);
        desired = desired with { Tables = [.. desired.Tables.Where(tables)] };

        var schemas = desired.Tables.Select(t => t.Schema).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        var actual = await dialect.ReadAsync(connection, schemas, cancellationToken).ConfigureAwait(false);
        // The run sees only the tables it owns: the read also returns the connection's own (schema null), which the shared
        // tables' run must never take for unmapped ones (DropUnmappedTables would drop the configured database's tables).
        actual = actual with { Tables = [.. actual.Tables.Where(tables)] };
        var operations = SchemaDiffer.Diff(desired, actual, dialect, options);
        var destructive = new List<(SchemaOperation, string)>();
        foreach (var operation in operations)
        {
            if (operation.DestructiveReason is { } reason)
            {
                destructive.Add((operation, reason));
            }
            else if (await DataCheck.FindsLossAsync(executor, dialect, connection, operation, cancellationToken).ConfigureAwait(false) is { } loss)
            {
                destructive.Add((operation, loss));
            }
        }

        var unmappedIndexes = options.DropUnmappedIndexes ? [] : SchemaDiffer.UnmappedIndexes(desired, actual);
        var unmappedForeignKeys = options.DropUnmappedForeignKeys ? [] : SchemaDiffer.UnmappedForeignKeys(desired, actual);
        return new SchemaDiff(
            operations, operations.SelectMany(dialect.Render).ToList(), destructive, unmappedIndexes, unmappedForeignKeys, operations.Count == 0 ? null : MismatchDetector.Warn(desired, actual));
    }
}
