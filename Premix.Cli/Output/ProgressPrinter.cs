using System.Globalization;
using Premix.Migrations;

namespace Premix.Cli.Output;

/// <summary>Prints a line when each migration starts and when it completes or fails: <c>[2/5] applied 20261129_add_orders (12 ms)</c>.</summary>
/// <param name="output">Where the lines go (standard output).</param>
internal sealed class ProgressPrinter(TextWriter output) : IProgress<MigrationProgress>
{
    /// <summary>Prints one step; called synchronously on the migrating thread, so the lines come in order.</summary>
    public void Report(MigrationProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var up = value.Direction == MigrationDirection.Up;
        var what = value.Step switch
        {
            MigrationStep.Starting => up ? "applying" : "reverting",
            MigrationStep.Completed => up ? "applied" : "reverted",
            _ => "failed",
        };
        var elapsed = value.Step == MigrationStep.Starting
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $" ({value.Elapsed.TotalMilliseconds:0} ms)");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{value.Index}/{value.Count}] {what} {value.Migration.FileName}{elapsed}"));
    }
}
