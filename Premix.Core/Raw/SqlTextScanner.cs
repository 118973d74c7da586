namespace Premix;

/// <summary>
/// Follows where the literal pieces of a <see cref="RawSql"/> leave the SQL text: in plain SQL, or inside a string
/// literal, a quoted identifier or a comment, where a hole could not be a parameter (<c>'{name}'</c> would compare
/// with the text <c>'@p0'</c>). Standard SQL rules: a quote inside quotes is doubled, a backslash is an ordinary character.
/// </summary>
internal struct SqlTextScanner
{
    private char _closer; // the character that ends the current string, identifier or comment; '\0' in plain SQL
    private bool _maybeLineComment;
    private bool _maybeBlockComment;
    private bool _maybeBlockEnd;

    /// <summary>What the text read so far leaves open, for a message; <see langword="null"/> in plain SQL.</summary>
    public readonly string? Inside => _closer switch
    {
        '\0' => null,
        '\'' => "a string literal ('...')",
        '"' => "a quoted identifier (\"...\")",
        '`' => "a quoted identifier (`...`)",
        _ => "a comment",
    };

    public void Read(string text)
    {
        foreach (var c in text)
        {
            if (_closer == '\0')
            {
                ReadPlain(c);
            }
            else if (_closer == '/')
            {
                // Inside /* ... */: ends at the next "*/".
                _closer = _maybeBlockEnd && c == '/' ? '\0' : '/';
                _maybeBlockEnd = c == '*';
            }
            else if (c == _closer)
            {
                _closer = '\0'; // a doubled quote reopens at once, as the next character is read in plain SQL
            }
        }
    }

    private void ReadPlain(char c)
    {
        if (_maybeLineComment && c == '-')
        {
            _closer = '\n';
        }
        else if (_maybeBlockComment && c == '*')
        {
            _closer = '/';
            _maybeBlockEnd = false;
        }
        else if (c is '\'' or '"' or '`')
        {
            _closer = c;
        }

        _maybeLineComment = c == '-' && _closer == '\0';
        _maybeBlockComment = c == '/' && _closer == '\0';
    }
}
