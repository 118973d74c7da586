using System.CommandLine;
using System.Globalization;
using Premix.Cli.Connecting;
using Premix.Cli.Output;
using Premix.Migrations;

namespace Premix.Cli.Commands;

/// <summary><c>premix migrate new|up|down|status|repair|baseline|generate</c>: versioned SQL migrations (docs/migrations.md).</summary>
internal static class MigrateCommand
{
    /// <summary>Builds <c>migrate</c> and its subcommands.</summary>
    public static Command Create() => new("migrate", "Versioned SQL migrations: create, apply, revert, list, repair and adopt them.")
    {
        New(),
        Up(),
        TenantMigrations.Create(),
        Down(),
        Status(),
        Repair(),
        Baseline(),
        GenerateMigrationCommand.Create(),
    };

    private static Command New()
    {
        var name = new Argument<string>("name") { Description = "What the migration does, for example add_orders: letters, digits, '_' and '-'." };
        var command = new Command("new", "Writes an empty migration file YYYYMMDDHHMMSS_name.sql (current UTC time) and prints its path.") { name };
        var folder = MigrationFolderOptions.AddTo(command, usesHistory: false);
        CommandAction.Set(command, async (parseResult, _) =>
        {
            var path = MigrationFolder.NewMigrationFile(parseResult.GetRequiredValue(folder.Folder), parseResult.GetRequiredValue(name));
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(path).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Up()
    {
        var to = new Option<long?>("--to") { Description = "The last version to apply (YYYYMMDDHHMMSS); every pending migration when omitted." };
        var command = new Command("up", "Applies the pending migrations in version order, printing each as it starts and completes.") { to };
        var folder = MigrationFolderOptions.AddTo(command, usesHistory: true);
        var database = DatabaseOptions.Database(command);
        CommandAction.Set(command, async (parseResult, cancellationToken) =>
        {
            var premix = database.Open(parseResult);
            var applied = await premix.MigrateAsync(
                parseResult.GetRequiredValue(folder.Folder), parseResult.GetValue(to), folder.MigrationOptions(parseResult), cancellationToken).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(applied.Count == 0
                ? "Nothing to apply: the database is up to date."
                : string.Create(CultureInfo.InvariantCulture, $"Applied {applied.Count} migration(s).")).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Down()
    {
        var steps = new Option<int>("--steps", "-n") { Description = "How many applied migrations to revert, newest first.", DefaultValueFactory = _ => 1 };
        steps.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--steps must be at least 1.");
            }
        });
        var command = new Command("down", "Reverts the last applied migrations by running their Down sections, newest first.") { steps };
        var folder = MigrationFolderOptions.AddTo(command, usesHistory: true);
        var database = DatabaseOptions.Database(command);
        CommandAction.Set(command, async (parseResult, cancellationToken) =>
        {
            var premix = database.Open(parseResult);
            var reverted = await premix.MigrateDownAsync(
                parseResult.GetRequiredValue(folder.Folder), parseResult.GetValue(steps), folder.MigrationOptions(parseResult), cancellationToken).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(reverted.Count == 0
                ? "Nothing to revert: no migration is applied."
                : string.Create(CultureInfo.InvariantCulture, $"Reverted {reverted.Count} migration(s).")).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Status()
    {
        var command = new Command("status", "Lists every migration of the folder and of the history table with its status; changes nothing.");
        var folder = MigrationFolderOptions.AddTo(command, usesHistory: true);
        var database = DatabaseOptions.Database(command);
        CommandAction.Set(command, async (parseResult, cancellationToken) =>
        {
            var premix = database.Open(parseResult);
            var states = await premix.MigrationStatusAsync(
                parseResult.GetRequiredValue(folder.Folder), folder.MigrationOptions(parseResult), cancellationToken).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Output.WriteAsync(StatusTable.Render(states)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Repair()
    {
        var version = new Argument<long>("version") { Description = "The failed migration's version (YYYYMMDDHHMMSS)." };
        var forget = new Option<bool>("--forget") { Description = "You undid its changes: delete its history row so it runs again on the next migrate up." };
        var markApplied = new Option<bool>("--mark-applied") { Description = "You completed its changes by hand: record it as applied." };
        var command = new Command("repair", "Settles a migration recorded as failed, once you have fixed the database by hand.") { version, forget, markApplied };
        command.Validators.Add(result =>
        {
            if (result.GetValue(forget) == result.GetValue(markApplied))
            {
                result.AddError("Pass exactly one of --forget and --mark-applied.");
            }
        });
        var folder = MigrationFolderOptions.AddTo(command, usesHistory: true);
        var database = DatabaseOptions.Database(command);
        CommandAction.Set(command, async (parseResult, cancellationToken) =>
        {
            var premix = database.Open(parseResult);
            var repaired = parseResult.GetValue(version);
            var repair = parseResult.GetValue(forget) ? MigrationRepair.Forget : MigrationRepair.MarkApplied;
            await premix.RepairMigrationAsync(
                parseResult.GetRequiredValue(folder.Folder), repaired, repair, folder.MigrationOptions(parseResult), cancellationToken).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(repair == MigrationRepair.Forget
                ? string.Create(CultureInfo.InvariantCulture, $"Forgot migration {repaired}: it runs again on the next migrate up.")
                : string.Create(CultureInfo.InvariantCulture, $"Marked migration {repaired} as applied.")).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Baseline()
    {
        var version = new Argument<long>("version") { Description = "The last migration whose changes the database already has (YYYYMMDDHHMMSS)." };
        var command = new Command(
            "baseline",
            "Adopts migrations on a database that got its schema another way (premix sync, by hand): records every migration up to the version as applied, without running it.")
        {
            version,
        };
        var folder = MigrationFolderOptions.AddTo(command, usesHistory: true);
        var database = DatabaseOptions.Database(command);
        CommandAction.Set(command, async (parseResult, cancellationToken) =>
        {
            var premix = database.Open(parseResult);
            var recorded = await premix.BaselineMigrationsAsync(
                parseResult.GetRequiredValue(folder.Folder), parseResult.GetValue(version), folder.MigrationOptions(parseResult), cancellationToken).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"Recorded {recorded.Count} migration(s) up to {parseResult.GetValue(version)} as applied without running them; migrate up runs only later ones.")).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
