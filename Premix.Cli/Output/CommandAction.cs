using System.CommandLine;
using Premix.Providers;

namespace Premix.Cli.Output;

/// <summary>
/// Runs a command's work and turns what escapes it into an exit code: an exception becomes one <c>error:</c> line
/// with its causes on stderr and exit code 1, never a stack trace.
/// </summary>
internal static class CommandAction
{
    /// <summary>Sets <paramref name="work"/> as the action of <paramref name="command"/>.</summary>
    public static void Set(Command command, Func<ParseResult, CancellationToken, Task<int>> work) =>
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                return await work(parseResult, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync("cancelled").ConfigureAwait(false);
                return ExitCodes.Cancelled;
            }
#pragma warning disable CA1031 // The tool's last line of defence: every failure becomes a message and exit code 1.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                await error.WriteLineAsync(Describe(exception)).ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });

    /// <summary>
    /// <c>error: message</c>, then <c>cause: message</c> for each inner exception that says something the lines before do
    /// not (a Premix message often quotes the driver's already), then a <c>hint:</c> when an option of the tool would help.
    /// </summary>
    public static string Describe(Exception exception)
    {
        var lines = new List<string> { "error: " + exception.Message };
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!lines.Any(line => line.Contains(inner.Message.TrimEnd('.'), StringComparison.Ordinal)))
            {
                lines.Add("cause: " + inner.Message);
            }
        }

        // A SQLite file that does not exist in a folder that does: the tool did not create it (--create would have).
        if (exception is DatabaseConnectionException { Failure: ConnectionFailureKind.DatabaseNotFound, Host: null, Database: { } file }
            && Path.GetDirectoryName(file) is { Length: > 0 } folder && Directory.Exists(folder) && !File.Exists(file))
        {
            lines.Add($"hint: premix creates no SQLite database unless asked; pass --create to create '{file}'.");
        }

        if (exception is CommandException { Hint: var hint })
        {
            lines.Add("hint: " + hint);
        }

        return string.Join(Environment.NewLine, lines);
    }
}
