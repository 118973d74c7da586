using System.Data.Common;
using Premix.Execution;

namespace Premix.Migrations;

/// <summary>Schema sync for an <see cref="IPremix"/>: compare the mapping with the live database, script it, apply it, or check it at startup.</summary>
public static class PremixSchemaExtensions
{
    /// <summary>Compares the mapping with the live schema and returns the changes and their DDL, without applying anything.</summary>
    public static async Task<SchemaDiff> DiffAsync(this IPremix premix, SyncOptions? options = null, CancellationToken cancellationToken = default)
    {
        var dialect = Dialect(premix);
        using var execution = SchemaExecution.Begin(premix);
        var connection = premix.Provider.CreateConnection();
        await using (connection.ConfigureAwait(false))
        {
            await ConnectionOpener.OpenAsync(true, connection, premix.Provider, cancellationToken).ConfigureAwait(false);
            return await DiffAsync(premix, dialect, connection, options ?? new SyncOptions(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Applies the safe changes that make the live schema match the mapping and returns what it did. Changes that can
    /// lose data are refused (nothing at all is applied) unless <see cref="SyncOptions.AllowDestructive"/> is set.
    /// </summary>
    /// <exception cref="DestructiveSchemaChangeException">Some change can lose data and was not allowed; the message lists each and why.</exception>
    /// <exception cref="SchemaChangeException">The database refused a statement.</exception>
    public static async Task<SchemaDiff> SyncAsync(this IPremix premix, SyncOptions? options = null, CancellationToken cancellationToken = default)
    {
        var dialect = Dialect(premix);
        options ??= new SyncOptions();
        using var execution = SchemaExecution.Begin(premix);
        var connection = premix.Provider.CreateConnection();
        await using (connection.ConfigureAwait(false))
        {
            await ConnectionOpener.OpenAsync(true, connection, premix.Provider, cancellationToken).ConfigureAwait(false);
            var diff = await DiffAsync(premix, dialect, connection, options, cancellationToken).ConfigureAwait(false);
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

    private static SchemaDialect Dialect(IPremix premix)
    {
        ArgumentNullException.ThrowIfNull(premix);
        return (premix.Provider as ISchemaProvider)?.Schema
            ?? throw new NotSupportedException($"The {premix.Provider.Name} provider does not support schema changes: it does not implement {nameof(ISchemaProvider)}.");
    }

    private static async Task<SchemaDiff> DiffAsync(IPremix premix, SchemaDialect dialect, DbConnection connection, SyncOptions options, CancellationToken cancellationToken)
    {
        var desired = DesiredSchema.From(premix.Model, dialect);
        if (premix is PremixDatabase { SharesNamedSchemas: true })
        {
            // A schema per tenant: a table of a schema of its own is shared by every tenant, so no tenant's sync changes it
            // (each tenant's would, some at once). It is created and changed once, outside the tenants' runs.
            desired = desired with { Tables = [.. desired.Tables.Where(t => t.Schema is null)] };
        }

        var schemas = desired.Tables.Select(t => t.Schema).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        var actual = await dialect.ReadAsync(connection, schemas, cancellationToken).ConfigureAwait(false);
        var operations = SchemaDiffer.Diff(desired, actual, dialect, options);
        var destructive = new List<(SchemaOperation, string)>();
        foreach (var operation in operations)
        {
            if (operation.DestructiveReason is { } reason)
            {
                destructive.Add((operation, reason));
            }
            else if (await DataCheck.FindsLossAsync(SchemaExecution.Of(premix), dialect, connection, operation, cancellationToken).ConfigureAwait(false) is { } loss)
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
