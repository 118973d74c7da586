using System.CommandLine;
using System.Text;
using Premix.Cli.Connecting;
using Premix.Cli.Output;
using Premix.Migrations;

namespace Premix.Cli.Commands;

/// <summary><c>premix scaffold</c>: writes entity and ModelConfiguration classes for an existing database's tables.</summary>
internal static class ScaffoldCommand
{
    /// <summary>Builds <c>scaffold</c>.</summary>
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "The folder to write the C# files into (created if needed).", Required = true };
        var @namespace = new Option<string?>("--namespace") { Description = "The namespace of the generated classes." };
        var schemas = new Option<string[]>("--schema")
        {
            Description = "A schema to read (repeatable); the connection's default schema when omitted.",
            AllowMultipleArgumentsPerToken = false,
        };
        var force = new Option<bool>("--force") { Description = "Overwrite files that exist already (refused otherwise, before anything is written)." };
        var keepTableNames = new Option<bool>("--keep-table-names") { Description = "Name each class after its table as it is (projects gives Projects) instead of in the singular (Project)." };
        var command = new Command("scaffold", "Writes an entity and a ModelConfiguration class for each table of an existing database, and a read-only class for each view.")
        {
            output,
            @namespace,
            schemas,
            force,
            keepTableNames,
        };
        var database = DatabaseOptions.Database(command);
        CommandAction.Set(command, async (parseResult, cancellationToken) =>
        {
            var premix = database.Open(parseResult);
            var folder = parseResult.GetRequiredValue(output);
            var options = new ScaffoldOptions { Schemas = parseResult.GetValue(schemas) ?? [], KeepTableNames = parseResult.GetValue(keepTableNames) };
            if (parseResult.GetValue(@namespace) is { } name)
            {
                options = new ScaffoldOptions { Namespace = name, Schemas = options.Schemas, KeepTableNames = options.KeepTableNames };
            }

            var files = await Scaffolder.ScaffoldAsync(premix, options, cancellationToken).ConfigureAwait(false);
            var existing = files.Select(f => Path.Combine(folder.FullName, f.FileName)).Where(File.Exists).ToList();
            if (existing.Count > 0 && !parseResult.GetValue(force))
            {
                throw new IOException($"{existing.Count} file(s) exist already, for example '{existing[0]}'; pass --force to overwrite them, or another --output.");
            }

            folder.Create();
            foreach (var (fileName, content) in files)
            {
                var path = Path.Combine(folder.FullName, fileName);
                await File.WriteAllTextAsync(path, content, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(path).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
