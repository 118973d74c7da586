namespace Premix.Tests.Cli;

/// <summary>What one run of the premix tool returned and printed.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Output">Everything it printed on standard output.</param>
/// <param name="Error">Everything it printed on standard error.</param>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>The non-empty lines of standard error.</summary>
    public IReadOnlyList<string> ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <inheritdoc />
    public override string ToString() => $"exit code {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{Output}{Environment.NewLine}stderr:{Environment.NewLine}{Error}";
}
