using System.Globalization;

namespace Premix.Migrations;

/// <summary>
/// The "what to do next" of migration errors, in the caller's words: code is told which method to call, a user of the
/// <c>premix</c> tool which command to run (a tool's message never names a C# method).
/// </summary>
internal abstract class MigrationAdvice
{
    /// <summary>For callers of the extension methods.</summary>
    public static MigrationAdvice Api { get; } = new ApiAdvice();

    /// <summary>For users of the <c>premix</c> tool.</summary>
    public static MigrationAdvice CommandLine { get; } = new CommandLineAdvice();

    /// <summary>How to settle failed migration <paramref name="version"/> once the database is fixed by hand.</summary>
    public abstract string Repair(long version);

    /// <summary>How to see which migrations failed.</summary>
    public abstract string Status { get; }

    /// <summary>How to adopt a database built without migrations, up to <paramref name="version"/>.</summary>
    public abstract string Baseline(long version);

    private sealed class ApiAdvice : MigrationAdvice
    {
        public override string Status => "MigrationStatusAsync";

        public override string Repair(long version) => string.Create(
            CultureInfo.InvariantCulture,
            $"call RepairMigrationAsync for version {version} with Forget if you undid its changes (it runs again) or MarkApplied if you completed them");

        public override string Baseline(long version) => string.Create(
            CultureInfo.InvariantCulture,
            $"call BaselineMigrationsAsync with version {version} (or the last migration its schema already has) to record them as applied without running them");
    }

    private sealed class CommandLineAdvice : MigrationAdvice
    {
        public override string Status => "premix migrate status";

        public override string Repair(long version) => string.Create(
            CultureInfo.InvariantCulture,
            $"run 'premix migrate repair {version} --forget' if you undid its changes (it runs again) or 'premix migrate repair {version} --mark-applied' if you completed them");

        public override string Baseline(long version) => string.Create(
            CultureInfo.InvariantCulture,
            $"run 'premix migrate baseline {version}' (or the last migration its schema already has) to record them as applied without running them");
    }
}
