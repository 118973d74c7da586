using System.CommandLine;
using Premix.Cli.Output;
using Premix.Migrations;

namespace Premix.Cli.Commands;

/// <summary>
/// What the commands do with a diff that looks like a wrong naming convention or a wrong database
/// (<see cref="SchemaDiff.MismatchWarning"/>): <c>diff</c> warns; <c>sync</c> and <c>migrate generate</c>, which apply or
/// write the changes, refuse them unless <c>--allow-mismatch</c> says they are meant. A forgotten <c>--naming</c> would
/// otherwise create every table a second time beside the real ones and exit 0.
/// </summary>
internal static class MismatchGuard
{
    private const string Check = "check the naming convention (--naming as-written|snake-case, or the application's UseNamingConvention) and the database the connection names";

    /// <summary>The option that lets <c>sync</c> and <c>migrate generate</c> go on anyway.</summary>
    public static Option<bool> AllowOption() => new("--allow-mismatch")
    {
        Description = "Go on when the changes suggest that the naming convention or the database does not match the mapping (refused otherwise, and nothing is done).",
    };

    /// <summary>Prints the warning, if any, on standard error.</summary>
    public static async Task WarnAsync(ParseResult parseResult, SchemaDiff diff)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(diff);
        if (diff.MismatchWarning is { } warning)
        {
            await parseResult.InvocationConfiguration.Error.WriteLineAsync($"warning: {warning}{Environment.NewLine}hint: {Check}.").ConfigureAwait(false);
        }
    }

    /// <summary>Throws when the diff has a warning and <paramref name="allow"/> is not set; <paramref name="outcome"/> says what was not done.</summary>
    /// <exception cref="CommandException">The diff looks like a mismatch.</exception>
    public static void Refuse(SchemaDiff diff, bool allow, string outcome)
    {
        ArgumentNullException.ThrowIfNull(diff);
        if (diff.MismatchWarning is { } warning && !allow)
        {
            throw new CommandException(warning, $"{outcome}: {Check}; pass --allow-mismatch if these changes are meant.");
        }
    }
}
