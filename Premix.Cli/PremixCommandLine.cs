using System.CommandLine;
using Premix.Cli.Commands;

namespace Premix.Cli;

/// <summary>The <c>premix</c> command line: every command, its options and its action.</summary>
internal static class PremixCommandLine
{
    /// <summary>Builds the root command; <c>Parse(args).InvokeAsync()</c> runs it and returns the exit code.</summary>
    public static RootCommand Create() => new("premix: versioned migrations, schema diff and sync, compiled SQL plans, the generated model and scaffolding for Premix.")
    {
        MigrateCommand.Create(),
        DiffCommand.Create(),
        SyncCommand.Create(),
        PlansCommand.Create(),
        OptimizeCommand.Create(),
        ScaffoldCommand.Create(),
    };
}
