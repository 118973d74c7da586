using System.Globalization;
using System.Text;
using Premix.Migrations;

namespace Premix.Cli.Commands;

/// <summary>The text of a generated migration file: what it changes as comments, the DDL as its Up section, no Down section.</summary>
internal static class GeneratedMigration
{
    /// <summary>Renders the file for <paramref name="diff"/>, taken on the <paramref name="provider"/> engine.</summary>
    public static string Render(string name, SchemaDiff diff, string provider)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"-- {name}, generated {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC by premix migrate generate from the difference between").Append('\n')
            .Append("-- the application's mapping and the database. Review it before you apply it.").Append('\n')
            .Append("-- Changes:").Append('\n');
        if (diff.MismatchWarning is { } warning)
        {
            AppendComment(text, $"WARNING, the mapping and the database do not seem to match: {warning}");
        }

        foreach (var operation in diff.Operations)
        {
            AppendComment(text, "  " + operation.Description);
        }

        foreach (var (operation, reason) in diff.RisksWithRows)
        {
            AppendComment(text, $"WARNING, can lose data or fail: {operation.Description}: {reason}");
        }

        text.Append('\n').Append("-- +premix Up").Append('\n');
        if (provider == "sqlite" && diff.Operations.Any(o => o is RebuildTable))
        {
            // PRAGMA foreign_keys cannot change inside the migration's transaction (docs/migrations.md).
            text.Append("-- A rebuild drops and re-creates a table: foreign keys are checked at the commit, not at the drop.").Append('\n')
                .Append("PRAGMA defer_foreign_keys = ON;").Append('\n');
        }

        foreach (var statement in diff.Statements)
        {
            text.Append(statement.Replace("\r\n", "\n", StringComparison.Ordinal)).Append(";\n");
        }

        text.Append('\n').Append("-- +premix Down").Append('\n')
            .Append("-- Write the Down section by hand: premix does not generate the reverse of these changes (it cannot bring").Append('\n')
            .Append("-- back dropped columns or data). Until this section holds SQL, migrate down refuses to revert this migration.").Append('\n');
        return text.ToString();
    }

    private static void AppendComment(StringBuilder text, string comment)
    {
        foreach (var line in comment.Split('\n'))
        {
            text.Append("-- ").Append(line.TrimEnd('\r')).Append('\n');
        }
    }
}
