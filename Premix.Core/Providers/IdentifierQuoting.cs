namespace Premix.Providers;

/// <summary>Quotes SQL identifiers by doubling the quote character inside them, the rule every supported engine shares.</summary>
public static class IdentifierQuoting
{
    /// <summary>Wraps <paramref name="identifier"/> in <paramref name="quote"/>, doubling any quote inside it.</summary>
    /// <exception cref="ArgumentException">The identifier is empty or contains a NUL character, which no engine accepts.</exception>
    public static string Quote(string identifier, char quote)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        if (identifier.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The identifier '{identifier.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character, which no database accepts in a name.", nameof(identifier));
        }

        var q = quote.ToString();
        return string.Concat(q, identifier.Replace(q, q + q, StringComparison.Ordinal), q);
    }
}
