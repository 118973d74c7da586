using System.Text.RegularExpressions;

namespace Premix.Providers.Sqlite;

/// <summary>
/// Reads the named CHECK constraints of a table from its CREATE TABLE text: SQLite keeps no catalog of them, only the
/// statement as it was written.
/// </summary>
internal static partial class SqliteCheckConstraints
{
    /// <summary>Each <c>CONSTRAINT name CHECK (expression)</c> of <paramref name="createTable"/>: its name and expression.</summary>
    public static IEnumerable<(string Name, string Definition)> Read(string? createTable)
    {
        if (createTable is null)
        {
            yield break;
        }

        foreach (Match match in NamedCheck().Matches(createTable))
        {
            var name = match.Groups["quoted"].Success ? match.Groups["quoted"].Value.Replace("\"\"", "\"", StringComparison.Ordinal) : match.Groups["bare"].Value;
            var start = match.Index + match.Length; // just after the opening parenthesis
            if (ClosingParenthesis(createTable, start) is { } end)
            {
                yield return (name, createTable[start..end].Trim());
            }
        }
    }

    // The parenthesis closing the one before start, skipping string literals and quoted identifiers.
    private static int? ClosingParenthesis(string sql, int start)
    {
        var depth = 1;
        for (var i = start; i < sql.Length; i++)
        {
            switch (sql[i])
            {
                case '\'' or '"' or '`':
                    var quote = sql[i];
                    i = sql.IndexOf(quote, i + 1);
                    if (i < 0)
                    {
                        return null;
                    }

                    break;
                case '(':
                    depth++;
                    break;
                case ')' when --depth == 0:
                    return i;
            }
        }

        return null;
    }

    [GeneratedRegex("""CONSTRAINT\s+(?:"(?<quoted>(?:[^"]|"")+)"|(?<bare>\w+))\s+CHECK\s*\(""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamedCheck();
}
