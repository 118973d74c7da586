using System.Globalization;
using System.Text;
using Premix.Migrations;

namespace Premix.Cli.Commands;

/// <summary>The table <c>premix migrate status</c> prints: version, name, status, and when each was applied.</summary>
internal static class StatusTable
{
    /// <summary>One row per migration under a header, columns padded to their widest cell.</summary>
    public static string Render(IReadOnlyList<MigrationState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Count == 0)
        {
            return "No migrations: the folder holds no migration file and the history table records none." + Environment.NewLine;
        }

        var rows = new List<string[]> { new[] { "VERSION", "NAME", "STATUS", "APPLIED AT (UTC)" } };
        rows.AddRange(states.Select(s => new[]
        {
            s.Version.ToString(CultureInfo.InvariantCulture),
            s.Name,
            Describe(s.Status),
            s.AppliedAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? string.Empty,
        }));
        var widths = Enumerable.Range(0, rows[0].Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        }

        return text.ToString();
    }

    private static string Describe(MigrationStatus status) => status switch
    {
        MigrationStatus.Pending => "pending",
        MigrationStatus.Applied => "applied",
        MigrationStatus.Failed => "FAILED (see premix migrate repair)",
        MigrationStatus.ChecksumChanged => "CHECKSUM CHANGED (restore the file)",
        MigrationStatus.FileMissing => "FILE MISSING",
        _ => status.ToString(),
    };
}
