using System.Globalization;
using System.Text;

namespace Premix.Execution;

/// <summary>Renders parameters for a log line. Only runs when parameter logging is on and the level is enabled.</summary>
internal static class ParameterDescription
{
    public static string Describe(IStatementParameters? parameters, bool includeValues)
    {
        if (parameters is null)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var (name, value) in parameters.Describe())
        {
            text.Append(text.Length == 0 ? "@" : ", @").Append(name);
            if (includeValues)
            {
                text.Append('=').Append(Format(value));
            }
        }

        return text.ToString();
    }

    /// <summary>A value as a log line shows it.</summary>
    public static string Format(object? value) => value switch
    {
        null or DBNull => "NULL",
        Verbatim verbatim => verbatim.Text,
        SensitiveData.Mask => SensitiveData.Mask,
        string s => "'" + s + "'",
        byte[] b => $"<{b.Length} bytes>",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>A list of values as a log line shows it: its first values, then how many there are.</summary>
    public static Verbatim Values(IReadOnlyList<object> values)
    {
        const int Shown = 10;
        var more = values.Count > Shown ? $", … ({values.Count} values)" : string.Empty;
        return new Verbatim($"[{string.Join(", ", values.Take(Shown).Select(Format))}{more}]");
    }

    /// <summary>Text that a log line shows as it is (already formatted, like the values of an array).</summary>
    public sealed record Verbatim(string Text);
}
