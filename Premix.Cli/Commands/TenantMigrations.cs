using System.CommandLine;
using System.Globalization;
using Premix.Cli.Connecting;
using Premix.Cli.Output;
using Premix.Migrations;

namespace Premix.Cli.Commands;

/// <summary>
/// <c>premix migrate up-all-tenants --assembly app.dll</c>: the pending migrations applied to every tenant the application
/// lists (its <c>UseTenants</c>), one line per tenant; exit code 1 when any tenant failed (docs/multi-tenancy.md).
/// </summary>
internal static class TenantMigrations
{
    public static Command Create()
    {
        var to = new Option<long?>("--to") { Description = "The last version to apply (YYYYMMDDHHMMSS); every pending migration when omitted." };
        var concurrency = new Option<int>("--concurrency") { Description = "How many tenants are migrated at once (never more than the app's TenancyOptions.MaxOpenDatabases).", DefaultValueFactory = _ => 4 };
        concurrency.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--concurrency must be at least 1.");
            }
        });
        var command = new Command(
            "up-all-tenants",
            "Applies the pending migrations to every tenant of the application (its UseTenants with ListTenantsWith), each with its own lock and history; names the tenants that failed.")
        {
            to, concurrency,
        };
        var folder = MigrationFolderOptions.AddTo(command, usesHistory: true);
        var database = DatabaseOptions.DatabaseAndModel(command);
        CommandAction.Set(command, async (parseResult, cancellationToken) =>
        {
            var premix = database.Open(parseResult);
            return await UpAsync(premix, parseResult.GetRequiredValue(folder.Folder), parseResult.GetValue(to), folder.MigrationOptions(parseResult), parseResult.GetValue(concurrency), parseResult.InvocationConfiguration.Output, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> UpAsync(IPremix premix, string folder, long? to, MigrationOptions options, int concurrency, TextWriter output, CancellationToken cancellationToken)
    {
        var gate = new Lock();
        var report = await premix.MigrateAllTenantsAsync(folder, to, options, new TenantRunOptions
        {
            MaxConcurrency = concurrency,
            Progress = outcome =>
            {
                lock (gate)
                {
                    output.WriteLine(outcome.Succeeded
                        ? string.Create(CultureInfo.InvariantCulture, $"tenant {outcome.TenantId}: applied {outcome.Changes} migration(s)")
                        : $"tenant {outcome.TenantId}: failed: {outcome.Error!.Message}");
                }
            },
        }, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync(report.Succeeded
            ? string.Create(CultureInfo.InvariantCulture, $"Migrated {report.Outcomes.Count} tenant(s).")
            : string.Create(CultureInfo.InvariantCulture, $"{report.Failed.Count} of {report.Outcomes.Count} tenant(s) failed: {string.Join(", ", report.Failed.Select(f => f.TenantId))}. The others were migrated; run the command again once they are fixed.")).ConfigureAwait(false);
        return report.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
    }
}
