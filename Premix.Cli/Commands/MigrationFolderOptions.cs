using System.CommandLine;
using Premix.Cli.Output;
using Premix.Migrations;

namespace Premix.Cli.Commands;

/// <summary>The options every <c>migrate</c> command shares: the folder of migration files and the history table.</summary>
internal sealed class MigrationFolderOptions
{
    private MigrationFolderOptions(bool usesHistory)
    {
        UsesHistory = usesHistory;
    }

    /// <summary>The folder of <c>YYYYMMDDHHMMSS_name.sql</c> files.</summary>
    public Option<string> Folder { get; } = new("--folder", "-f")
    {
        Description = "The folder of YYYYMMDDHHMMSS_name.sql migration files.",
        DefaultValueFactory = _ => "migrations",
    };

    /// <summary>The history table's name.</summary>
    public Option<string> HistoryTable { get; } = new("--history-table")
    {
        Description = "The history table, if the application configures another name (MigrationOptions.HistoryTable).",
        DefaultValueFactory = _ => new MigrationOptions().HistoryTable,
    };

    private bool UsesHistory { get; }

    /// <summary>Adds the folder option, and the history table option when the command reads or writes the history.</summary>
    public static MigrationFolderOptions AddTo(Command command, bool usesHistory)
    {
        ArgumentNullException.ThrowIfNull(command);
        var options = new MigrationFolderOptions(usesHistory);
        command.Options.Add(options.Folder);
        if (usesHistory)
        {
            command.Options.Add(options.HistoryTable);
        }

        return options;
    }

    /// <summary>The migration options: the history table, a progress line per migration on standard output, and errors that name commands.</summary>
    public MigrationOptions MigrationOptions(ParseResult parseResult) => new()
    {
        HistoryTable = UsesHistory ? parseResult.GetRequiredValue(HistoryTable) : new MigrationOptions().HistoryTable,
        Progress = new ProgressPrinter(parseResult.InvocationConfiguration.Output),
        Advice = MigrationAdvice.CommandLine,
    };
}
