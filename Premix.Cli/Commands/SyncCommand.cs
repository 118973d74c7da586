using System.CommandLine;
using System.Globalization;
using Premix.Cli.Connecting;
using Premix.Cli.Output;
using Premix.Migrations;

namespace Premix.Cli.Commands;

/// <summary><c>premix sync</c>: applies the changes that make the database match the mapping (SyncAsync).</summary>
internal static class SyncCommand
{
    /// <summary>Builds <c>sync</c>.</summary>
    public static Command Create()
    {
        var allowDestructive = new Option<bool>("--allow-destructive")
        {
            Description = "Also apply changes that can lose data (dropping a column, narrowing a type); refused otherwise, and then nothing is applied.",
        };
        var dropUnmapped = new Option<bool>("--drop-unmapped-tables")
        {
            Description = "Drop the tables the mapping does not know (needs --allow-destructive).",
        };
        var dropUnmappedIndexes = new Option<bool>("--drop-unmapped-indexes")
        {
            Description = "Drop the indexes of mapped tables that the mapping does not name (by default they are left alone).",
        };
        var dropUnmappedForeignKeys = new Option<bool>("--drop-unmapped-foreign-keys")
        {
            Description = "Drop the foreign keys of mapped tables over columns no relation of the mapping uses (by default they are left alone).",
        };
        var allowMismatch = MismatchGuard.AllowOption();
        var command = new Command("sync", "Changes the database's schema to match the application's mapping, in one transaction where the engine allows it.")
        {
            allowDestructive,
            allowMismatch,
            dropUnmapped,
            dropUnmappedIndexes,
            dropUnmappedForeignKeys,
        };
        var database = DatabaseOptions.DatabaseAndModel(command);
        CommandAction.Set(command, async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var premix = database.Open(parseResult);
            var options = new SyncOptions
            {
                AllowDestructive = parseResult.GetValue(allowDestructive),
                DropUnmappedTables = parseResult.GetValue(dropUnmapped),
                DropUnmappedIndexes = parseResult.GetValue(dropUnmappedIndexes),
                DropUnmappedForeignKeys = parseResult.GetValue(dropUnmappedForeignKeys),
            };
            var planned = await premix.DiffAsync(options, cancellationToken).ConfigureAwait(false);
            MismatchGuard.Refuse(planned, parseResult.GetValue(allowMismatch), "Nothing was applied");
            await MismatchGuard.WarnAsync(parseResult, planned).ConfigureAwait(false);
            SchemaDiff diff;
            try
            {
                diff = planned.IsEmpty ? planned : await premix.SyncAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (DestructiveSchemaChangeException e)
            {
                throw e.WithRemedy(
                    "Review them with 'premix diff', apply them with a migration ('premix migrate generate <name>'), or pass --allow-destructive if losing that data is intended.");
            }

            if (diff.IsEmpty)
            {
                await output.WriteLineAsync("The database already matches the mapping: nothing to change.").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Applied {diff.Operations.Count} change(s):")).ConfigureAwait(false);
            foreach (var operation in diff.Operations)
            {
                await output.WriteLineAsync("  " + operation.Description).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
