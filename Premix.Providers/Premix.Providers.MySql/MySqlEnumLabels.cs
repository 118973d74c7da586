using System.Text.RegularExpressions;
using Premix.Mapping;

namespace Premix.Providers.MySql;

/// <summary>
/// The labels of an <c>ENUM(...)</c> column as SQL string literals, and back from the column type the server reports
/// (<c>enum('it''s','a,b')</c>): a label may hold a quote or a comma.
/// </summary>
internal static partial class MySqlEnumLabels
{
    /// <summary>A label as a literal: quotes doubled, which reads the same with and without <c>NO_BACKSLASH_ESCAPES</c>.</summary>
    public static string Literal(string label) => $"'{label.Replace("'", "''", StringComparison.Ordinal)}'";

    /// <summary>The labels of <paramref name="list"/>, the part between <c>enum(</c> and <c>)</c>.</summary>
    public static IEnumerable<string> Parse(string list) =>
        QuotedLabel().Matches(list).Select(m => m.Groups["label"].Value.Replace("''", "'", StringComparison.Ordinal));

    /// <summary>
    /// A backslash in a label reads as an escape unless the session has <c>NO_BACKSLASH_ESCAPES</c>, so the label stored
    /// would depend on the connection string: refused.
    /// </summary>
    public static (string Problem, string Fix)? Problem(PropertyModel property) =>
        property.EnumType?.Labels.FirstOrDefault(l => l.Contains('\\', StringComparison.Ordinal)) is { } label
            ? ($"has the enum label '{label}' with a backslash, which MySQL/MariaDB read as an escape or not depending on the session's sql_mode.", "Give the member another label with [EnumLabel(...)].")
            : null;

    [GeneratedRegex("'(?<label>(?:[^']|'')*)'")]
    private static partial Regex QuotedLabel();
}
