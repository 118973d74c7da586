using System.CommandLine;
using Premix.Cli.Connecting;
using Premix.Cli.Output;

namespace Premix.Cli.Commands;

/// <summary><c>premix plans</c>: prints every SQL statement Premix compiled for the application's model.</summary>
internal static class PlansCommand
{
    /// <summary>Builds <c>plans</c>.</summary>
    public static Command Create()
    {
        var command = new Command(
            "plans",
            "Prints every SQL statement compiled for the application's model, in the engine's dialect (DescribePlans); needs no database.");
        var database = DatabaseOptions.ModelOnly(command);
        CommandAction.Set(command, async (parseResult, _) =>
        {
            var premix = database.Open(parseResult);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(premix.DescribePlans()).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
