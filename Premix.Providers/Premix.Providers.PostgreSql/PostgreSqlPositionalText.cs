using System.Globalization;
using System.Text;

namespace Premix.Providers.PostgreSql;

/// <summary>
/// A statement's named placeholders (<c>@name</c>) as PostgreSQL's positional ones (<c>$1</c>), which Npgsql sends without
/// parsing the text (its raw mode, parameters without names): see <see cref="IPositionalPlaceholders"/>.
/// </summary>
/// <remarks>
/// Reads placeholders exactly where Npgsql's own parser would (<c>@</c> not after another <c>@</c>, followed by letters,
/// digits, <c>_</c> or <c>.</c>; not inside a quoted literal or identifier), on the texts Premix writes. Anything else
/// Npgsql treats specially keeps the text named, so Npgsql reads it as before: a dollar sign (dollar quoting, a positional
/// placeholder already), a backslash (an escape under <c>standard_conforming_strings = off</c> or in <c>E''</c>), a
/// semicolon (several statements), a comment, or a <c>:name</c> placeholder.
/// </remarks>
internal static class PostgreSqlPositionalText
{
    public static string? Of(string sql, IReadOnlyList<string> parameterNames)
    {
        if (parameterNames.Count == 0 || sql.AsSpan().IndexOfAny("$\\;") >= 0 || sql.Contains("--", StringComparison.Ordinal) || sql.Contains("/*", StringComparison.Ordinal))
        {
            return null;
        }

        var used = new bool[parameterNames.Count];
        var text = new StringBuilder(sql.Length);
        var copied = 0;
        var last = '\0';
        for (var i = 0; i < sql.Length;)
        {
            var ch = sql[i];
            if (ch is '\'' or '"')
            {
                // To the closing quote; a doubled quote closes and opens again, which reads the same.
                var close = sql.IndexOf(ch, i + 1);
                if (close < 0)
                {
                    return null;
                }

                (i, last) = (close + 1, '\0');
                continue;
            }

            var placeholder = (ch == '@' && last != '@') || (ch == ':' && last != ':');
            if (placeholder && i + 1 < sql.Length && IsNameCharacter(sql[i + 1]))
            {
                var end = i + 1;
                while (end < sql.Length && IsNameCharacter(sql[end]))
                {
                    end++;
                }

                var index = ch == '@' ? IndexOf(parameterNames, sql.AsSpan(i + 1, end - i - 1)) : -1;
                if (index < 0)
                {
                    return null;
                }

                used[index] = true;
                text.Append(sql, copied, i - copied).Append('$').Append((index + 1).ToString(CultureInfo.InvariantCulture));
                (i, copied, last) = (end, end, sql[end - 1]);
                continue;
            }

            (i, last) = (i + 1, ch);
        }

        return Array.IndexOf(used, false) >= 0 ? null : text.Append(sql, copied, sql.Length - copied).ToString();
    }

    // As Npgsql's parser reads a placeholder's name.
    private static bool IsNameCharacter(char ch) => char.IsLetterOrDigit(ch) || ch is '_' or '.';

    // The first parameter of that name (as Npgsql finds one, without its leading @ or :); exactly, where Npgsql would also
    // try it ignoring case: such a text stays named.
    private static int IndexOf(IReadOnlyList<string> names, ReadOnlySpan<char> name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            var candidate = names[i].AsSpan();
            if (candidate.Length > 0 && candidate[0] is '@' or ':')
            {
                candidate = candidate[1..];
            }

            if (candidate.SequenceEqual(name))
            {
                return i;
            }
        }

        return -1;
    }
}
