namespace Premix.Generation;

/// <summary>
/// C#'s reserved keywords: a namespace part or class name that is one passes the identifier check (letters only) yet
/// does not compile, and <c>@</c> would make a name the user did not ask for. Contextual keywords (<c>var</c>,
/// <c>record</c>, ...) are valid names there and stay allowed. Premix.Generation does not reference Roslyn, whose
/// <c>SyntaxFacts.GetKeywordKind</c> says the same.
/// </summary>
internal static class CSharpKeywords
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>Whether <paramref name="name"/> is a reserved C# keyword (case-sensitive, as C# is).</summary>
    public static bool IsReserved(string name) => Reserved.Contains(name);
}
