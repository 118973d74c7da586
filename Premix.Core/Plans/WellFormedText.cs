using System.Buffers;
using Premix.Mapping;
using Premix.Providers;

namespace Premix.Plans;

/// <summary>
/// Text a string column can store: well-formed UTF-16 on every engine (an unpaired surrogate becomes U+FFFD on SQLite and
/// MySQL, and Npgsql cannot encode it), and no U+0000 where the engine cannot hold it (PostgreSQL). A string is scanned
/// once, vectorized, for the characters that need a closer look.
/// </summary>
internal sealed class WellFormedText : ColumnValueRule
{
    private readonly SearchValues<char> _suspects;
    private readonly string _engine;
    private readonly string _columnType;

    public WellFormedText(PropertyModel property, ISqlDialect dialect, GeneratedPropertyAccessors? generated = null)
        : base(property, typeof(string), generated)
    {
        _engine = dialect.StoredValues.Engine;
        _columnType = dialect.ColumnType(property);
        _suspects = dialect.StoredValues.KeepsNulCharacter ? Surrogates.Values : SurrogatesAndNul.Values;
    }

    public override string? BrokenValue(object value) => Check((string)value);

    public override string? NotComparable(object value) => Check((string)value) is { } problem ? $"{Name} cannot be compared with a string that {problem}" : null;

    internal string? Check(string value)
    {
        var text = value.AsSpan();
        for (var start = 0; text[start..].IndexOfAny(_suspects) is var found and >= 0;)
        {
            var at = start + found;
            if (text[at] == '\0')
            {
                return $"holds a NUL character (U+0000) at index {at}, which {_engine} cannot store in a {_columnType} column. "
                    + "Remove it, or keep such data in a byte[] property.";
            }

            if (!char.IsHighSurrogate(text[at]) || at + 1 == text.Length || !char.IsLowSurrogate(text[at + 1]))
            {
                return $"holds an unpaired UTF-16 surrogate at index {at}, half of a character, which {_engine} cannot store. "
                    + "Fix the code that cut or decoded the string.";
            }

            start = at + 2; // a pair: one character outside the Basic Multilingual Plane
        }

        return null;
    }

    // A loop, not Enumerable.Range(...).Select: LINQ's iterators over int and char are instantiations ReadyToRun does not
    // precompile, JIT-compiled at every start for this one table (issue 19).
    private static char[] Range(char first, char last)
    {
        var chars = new char[last - first + 1];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)(first + i);
        }

        return chars;
    }

    // Each set is made when an engine first needs it (a class of its own, initialized on first access): the set with NUL,
    // which only PostgreSQL uses, is not one range, so SearchValues builds a probabilistic map for it, whose Vector<T> code
    // ReadyToRun cannot precompile; made by every start, it JIT-compiled 4 methods on engines that never use it.
    private static class Surrogates
    {
        public static readonly SearchValues<char> Values = SearchValues.Create(Range('\uD800', '\uDFFF'));
    }

    private static class SurrogatesAndNul
    {
        public static readonly SearchValues<char> Values = SearchValues.Create(['\0', .. Range('\uD800', '\uDFFF')]);
    }
}
