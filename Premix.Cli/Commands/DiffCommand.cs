using System.CommandLine;
using System.Text;
using Premix.Cli.Connecting;
using Premix.Cli.Output;
using Premix.Migrations;

namespace Premix.Cli.Commands;

/// <summary><c>premix diff</c>: prints the DDL that would make the database match the mapping, changing nothing.</summary>
internal static class DiffCommand
{
    /// <summary>Builds <c>diff</c>.</summary>
    public static Command Create()
    {
        var exitCode = new Option<bool>("--exit-code")
        {
            Description = "Exit with code 2 when the database differs from the mapping (0 when it matches): a CI check.",
        };
        var dropUnmapped = new Option<bool>("--drop-unmapped-tables") { Description = "Also list the tables the mapping does not know, as drops." };
        var dropUnmappedIndexes = new Option<bool>("--drop-unmapped-indexes") { Description = "Also list the indexes the mapping does not name, as drops (by default they are noted and left alone)." };
        var dropUnmappedForeignKeys = new Option<bool>("--drop-unmapped-foreign-keys")
        {
            Description = "Also list the foreign keys over columns no relation of the mapping uses, as drops (by default they are noted and left alone).",
        };
        var command = new Command(
            "diff",
            "Prints the DDL script that would make the database match the application's mapping, with each change as a comment; changes nothing.")
        {
            exitCode,
            dropUnmapped,
            dropUnmappedIndexes,
            dropUnmappedForeignKeys,
        };
        var database = DatabaseOptions.DatabaseAndModel(command);
        CommandAction.Set(command, async (parseResult, cancellationToken) =>
        {
            var premix = database.Open(parseResult);
            var options = new SyncOptions
            {
                DropUnmappedTables = parseResult.GetValue(dropUnmapped),
                DropUnmappedIndexes = parseResult.GetValue(dropUnmappedIndexes),
                DropUnmappedForeignKeys = parseResult.GetValue(dropUnmappedForeignKeys),
            };
            var diff = await premix.DiffAsync(options, cancellationToken).ConfigureAwait(false);
            await MismatchGuard.WarnAsync(parseResult, diff).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Output.WriteAsync(Render(diff)).ConfigureAwait(false);
            return diff.IsEmpty || !parseResult.GetValue(exitCode) ? ExitCodes.Success : ExitCodes.Differences;
        });
        return command;
    }

    /// <summary>The changes as <c>--</c> comments (those that can lose data marked), then the script; unmapped indexes and foreign keys as notes.</summary>
    private static string Render(SchemaDiff diff)
    {
        var text = new StringBuilder();
        foreach (var unmapped in diff.UnmappedIndexes.Select(i => i.Description).Concat(diff.UnmappedForeignKeys.Select(k => k.Description)))
        {
            text.Append("-- Note: ").AppendLine(unmapped);
        }

        if (diff.IsEmpty)
        {
            return text.AppendLine("-- The database matches the mapping: no changes.").ToString();
        }

        if (diff.MismatchWarning is { } warning)
        {
            text.Append("-- WARNING, the mapping and the database do not seem to match: ").AppendLine(warning);
        }

        text.AppendLine("-- Changes that make the database match the mapping:");
        foreach (var operation in diff.Operations)
        {
            text.Append("--   ").AppendLine(operation.Description.ReplaceLineEndings(Environment.NewLine + "--   "));
        }

        foreach (var (operation, reason) in diff.Destructive)
        {
            text.Append("-- WARNING, can lose data: ").Append(operation.Description).Append(": ").AppendLine(reason.ReplaceLineEndings(" "));
        }

        text.AppendLine().Append(diff.ToSql());
        return text.ToString();
    }
}
