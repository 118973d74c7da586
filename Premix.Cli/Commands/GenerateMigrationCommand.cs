using System.CommandLine;
using System.Text;
using Premix.Cli.Connecting;
using Premix.Cli.Output;
using Premix.Migrations;

namespace Premix.Cli.Commands;

/// <summary><c>premix migrate generate &lt;name&gt;</c>: writes the mapping's difference from the database as a migration file.</summary>
internal static class GenerateMigrationCommand
{
    /// <summary>Builds <c>migrate generate</c>.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "What the migration does, for example add_orders: letters, digits, '_' and '-'." };
        var allowMismatch = MismatchGuard.AllowOption();
        var command = new Command(
            "generate",
            "Writes a migration whose Up section is the DDL that makes the database match the application's mapping; write its Down section by hand.")
        {
            name,
            allowMismatch,
        };
        var folder = MigrationFolderOptions.AddTo(command, usesHistory: true);
        var database = DatabaseOptions.DatabaseAndModel(command);
        CommandAction.Set(command, async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var premix = database.Open(parseResult);
            var path = parseResult.GetRequiredValue(folder.Folder);
            await RequireEverythingAppliedAsync(premix, path, folder.MigrationOptions(parseResult), cancellationToken).ConfigureAwait(false);
            var diff = await premix.DiffAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (diff.IsEmpty)
            {
                await output.WriteLineAsync("The database already matches the mapping: no migration written.").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            MismatchGuard.Refuse(diff, parseResult.GetValue(allowMismatch), "No migration was written");
            await MismatchGuard.WarnAsync(parseResult, diff).ConfigureAwait(false);
            var file = MigrationFolder.NewMigrationFile(path, parseResult.GetRequiredValue(name));
            await File.WriteAllTextAsync(file, GeneratedMigration.Render(parseResult.GetRequiredValue(name), diff, premix.Provider.Name), new UTF8Encoding(false), cancellationToken)
                .ConfigureAwait(false);
            // Judged from the changes, not from this database's rows: the migration runs on databases that hold data.
            foreach (var (operation, reason) in diff.RisksWithRows)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"warning: {operation.Description} can lose data or fail: {reason}").ConfigureAwait(false);
            }

            await output.WriteLineAsync(file).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    // The diff is taken against the database as it is: with migrations still pending, the new file would repeat them.
    private static async Task RequireEverythingAppliedAsync(IPremix premix, string folder, MigrationOptions options, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        var states = await premix.MigrationStatusAsync(folder, options, cancellationToken).ConfigureAwait(false);
        var unapplied = states.Where(s => s.Status is MigrationStatus.Pending or MigrationStatus.Failed).ToList();
        if (unapplied.Count > 0)
        {
            throw new InvalidOperationException(
                $"{unapplied.Count} migration(s) of '{Path.GetFullPath(folder)}' are not applied ({string.Join(", ", unapplied.Select(s => $"{s.Version}_{s.Name}: {s.Status}"))}); "
                + "run premix migrate up (or repair a failed one) first, so the generated migration holds only what the mapping adds.");
        }
    }
}
