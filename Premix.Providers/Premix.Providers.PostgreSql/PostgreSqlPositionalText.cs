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
/// semicolon (several statements), a comment, or a <c>:name</c> placeholder. One difference, on purpose: names match
/// exactly, so two parameters whose names differ only by case each bind their own placeholder (see <c>Places</c>).
/// </remarks>
internal static class PostgreSqlPositionalText
{
    public static string? Of(string sql, IReadOnlyList<string> parameterNames)
    {
        if (parameterNames.Count == 0 || sql.AsSpan().IndexOfAny("$\\;") >= 0 || sql.Contains("--", StringComparison.Ordinal) || sql.Contains("/*", StringComparison.Ordinal))
        {
            return null;
        }

        var places = Places(parameterNames);
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

                if (ch != '@' || !places.TryGetValue(sql.AsSpan(i + 1, end - i - 1), out var index))
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

    // Each name's place, without its leading @ or : (as Npgsql trims it); the first of two equal names (the second is then
    // unused and the text stays named). Exactly, not ignoring case as Npgsql would: of two names that differ only by case,
    // Npgsql binds the first's value to both placeholders, while here each gets its own (the start refuses properties whose
    // names differ only by case, so Premix's statements bind no such pair).
    private static Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> Places(IReadOnlyList<string> names)
    {
        var places = new Dictionary<string, int>(names.Count, StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            places.TryAdd(name.Length > 0 && name[0] is '@' or ':' ? name[1..] : name, i);
        }

        return places.GetAlternateLookup<ReadOnlySpan<char>>();
    }
}
