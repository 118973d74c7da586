using System.Text;

namespace Premix.Tests.Sakila;

/// <summary>
/// Splits a script written for the mysql client into the statements the server runs: at the current delimiter
/// (<c>;</c>, or what a <c>DELIMITER</c> line sets) outside quotes and comments; the DELIMITER lines themselves are the
/// client's and are not sent.
/// </summary>
internal static class MySqlScript
{
    public static IEnumerable<string> Statements(string script)
    {
        var delimiter = ";";
        var statement = new StringBuilder();
        var i = 0;
        while (i < script.Length)
        {
            if ((i == 0 || script[i - 1] == '\n') && script.AsSpan(i).StartsWith("DELIMITER ", StringComparison.OrdinalIgnoreCase) && IsBlank(statement))
            {
                var end = LineEnd(script, i);
                delimiter = script[(i + "DELIMITER ".Length)..end].Trim();
                statement.Clear();
                i = end;
                continue;
            }

            var c = script[i];
            if (c is '\'' or '"' or '`')
            {
                var end = QuoteEnd(script, i);
                statement.Append(script, i, end - i);
                i = end;
            }
            else if ((c == '-' && i + 2 < script.Length && script[i + 1] == '-' && char.IsWhiteSpace(script[i + 2])) || c == '#')
            {
                i = LineEnd(script, i);
            }
            else if (c == '/' && i + 1 < script.Length && script[i + 1] == '*')
            {
                var end = script.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? script.Length : end + 2;
            }
            else if (script.AsSpan(i).StartsWith(delimiter, StringComparison.Ordinal))
            {
                if (!IsBlank(statement))
                {
                    yield return statement.ToString().Trim();
                }

                statement.Clear();
                i += delimiter.Length;
            }
            else
            {
                statement.Append(c);
                i++;
            }
        }

        if (!IsBlank(statement))
        {
            yield return statement.ToString().Trim();
        }
    }

    private static bool IsBlank(StringBuilder text)
    {
        foreach (var chunk in text.GetChunks())
        {
            foreach (var c in chunk.Span)
            {
                if (!char.IsWhiteSpace(c))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static int LineEnd(string script, int i)
    {
        var end = script.IndexOf('\n', i);
        return end < 0 ? script.Length : end;
    }

    // Past the closing quote; a doubled quote or a backslash escape stays inside.
    private static int QuoteEnd(string script, int start)
    {
        var quote = script[start];
        for (var i = start + 1; i < script.Length; i++)
        {
            if (script[i] == '\\' && quote != '`')
            {
                i++;
            }
            else if (script[i] == quote)
            {
                if (i + 1 < script.Length && script[i + 1] == quote)
                {
                    i++;
                    continue;
                }

                return i + 1;
            }
        }

        return script.Length;
    }
}
