namespace Premix.Execution;

/// <summary>How sensitive values are shown wherever a value would otherwise appear.</summary>
internal static class SensitiveData
{
    public const string Mask = "***";

    /// <summary>Replaces each sensitive value inside <paramref name="text"/> (a driver message, say) with the mask.</summary>
    public static string Scrub(string text, IEnumerable<string> sensitiveValues)
    {
        foreach (var value in sensitiveValues)
        {
            text = text.Replace(value, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
