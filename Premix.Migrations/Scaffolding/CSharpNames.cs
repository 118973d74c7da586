using System.Globalization;
using System.Text;

namespace Premix.Migrations;

/// <summary>Turns database names into C# names and C# literals, deterministically.</summary>
internal static class CSharpNames
{
    // Names the generated code itself uses: a class or member so named would hide them or fail to compile.
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "DateTime", "DateTimeOffset", "DateOnly", "TimeOnly", "TimeSpan", "Guid", "List", "ModelConfiguration", "EntityBuilder",
        "ReferentialAction", "System", "Premix", "Equals", "GetHashCode", "GetType", "ToString", "MemberwiseClone", "Finalize",
    };

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue", "decimal",
        "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally", "fixed", "float", "for",
        "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock", "long", "namespace", "new", "null",
        "object", "operator", "out", "override", "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte",
        "sealed", "short", "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>
    /// PascalCase of a database name: split at every character that is not a letter or digit, each part's first letter
    /// upper-cased (an all-capitals part is lower-cased after its first letter: <c>ORDER_ID</c> gives <c>OrderId</c>).
    /// A leading digit gets an underscore; a name with no letter or digit becomes <paramref name="fallback"/>.
    /// </summary>
    public static string Pascal(string name, string fallback)
    {
        var result = new StringBuilder();
        foreach (var part in new string(name.Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray()).Split(' '))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var allUpper = part.Length > 1 && part.All(c => !char.IsLetter(c) || char.IsUpper(c));
            result.Append(char.ToUpperInvariant(part[0])).Append(allUpper ? part[1..].ToLowerInvariant() : part[1..]);
        }

        var text = result.Length == 0 ? fallback : result.ToString();
        text = char.IsDigit(text[0]) ? "_" + text : text;
        return Keywords.Contains(text) ? "@" + text : text;
    }

    /// <summary>Whether <paramref name="name"/> is a C# keyword, usable as a name only as <c>@name</c>.</summary>
    public static bool IsKeyword(string name) => Keywords.Contains(name);

    /// <summary>Whether a class or member may not be named <paramref name="name"/> in the generated code.</summary>
    public static bool IsReserved(string name) => Reserved.Contains(name);

    /// <summary>A simple English plural: <c>Album</c> gives <c>Albums</c>, <c>Category</c> <c>Categories</c>, <c>Box</c> <c>Boxes</c>.</summary>
    public static string Plural(string name)
    {
        if (name.EndsWith('y') && name.Length > 1 && !"aeiouAEIOU".Contains(name[^2], StringComparison.Ordinal))
        {
            return name[..^1] + "ies";
        }

        return name.EndsWith('s') || name.EndsWith('x') || name.EndsWith("ch", StringComparison.Ordinal) || name.EndsWith("sh", StringComparison.Ordinal)
            ? name + "es"
            : name + "s";
    }

    // Plurals no rule below undoes, and words whose -s is no plural.
    private static readonly Dictionary<string, string> IrregularPlurals = new(StringComparer.Ordinal)
    {
        ["People"] = "Person", ["Men"] = "Man", ["Women"] = "Woman", ["Children"] = "Child", ["Mice"] = "Mouse", ["Geese"] = "Goose",
        ["Teeth"] = "Tooth", ["Feet"] = "Foot", ["Movies"] = "Movie", ["Cookies"] = "Cookie", ["Series"] = "Series", ["Species"] = "Species",
        ["News"] = "News", ["Data"] = "Data", ["Indices"] = "Index", ["Matrices"] = "Matrix", ["Vertices"] = "Vertex", ["Statuses"] = "Status",
        ["Buses"] = "Bus", ["Alias"] = "Alias", ["Aliases"] = "Alias", ["Canvas"] = "Canvas", ["Analyses"] = "Analysis", ["Pies"] = "Pie",
        ["Ties"] = "Tie", ["Lies"] = "Lie", ["Shelves"] = "Shelf", ["Leaves"] = "Leaf", ["Wolves"] = "Wolf", ["Halves"] = "Half", ["Knives"] = "Knife",
        ["Lives"] = "Life", ["Wives"] = "Wife", ["Thieves"] = "Thief", ["Calves"] = "Calf",
    };

    /// <summary>
    /// A simple English singular of the last word of a PascalCase name, the reverse of <see cref="Plural"/>:
    /// <c>Projects</c> gives <c>Project</c>, <c>OrderItems</c> <c>OrderItem</c>, <c>Categories</c> <c>Category</c>,
    /// <c>Addresses</c> <c>Address</c>, <c>People</c> <c>Person</c>; <c>Status</c>, <c>Address</c> and <c>Analysis</c> stay.
    /// </summary>
    public static string Singular(string name)
    {
        var start = name.Length - 1;
        while (start > 0 && !char.IsUpper(name[start]))
        {
            start--;
        }

        var (head, word) = (name[..start], name[start..]);
        if (IrregularPlurals.TryGetValue(word, out var irregular))
        {
            return head + irregular;
        }

        var singular = word.Length < 4 || !char.IsLetter(word[^1]) ? word
            : word.EndsWith("ies", StringComparison.Ordinal) ? word[..^3] + "y"
            : word.EndsWith("sses", StringComparison.Ordinal) || word.EndsWith("xes", StringComparison.Ordinal) || word.EndsWith("zzes", StringComparison.Ordinal)
                || word.EndsWith("ches", StringComparison.Ordinal) || word.EndsWith("shes", StringComparison.Ordinal) ? word[..^2]
            : word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("is", StringComparison.Ordinal) ? word[..^1]
            : word;
        return head + singular;
    }

    /// <summary><paramref name="name"/>, or with the first free number appended (2, 3, ...) when <paramref name="taken"/> holds it; then marks it taken.</summary>
    public static string Unique(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var number = 2; !taken.Add(candidate); number++)
        {
            candidate = name + number.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    /// <summary>A C# string literal.</summary>
    public static string Literal(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    /// <summary>Text safe inside an XML doc comment, on one line.</summary>
    public static string Xml(string value) =>
        value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace('\r', ' ').Replace('\n', ' ');

    /// <summary>Whether <paramref name="value"/> is a dotted C# namespace (<c>Shop.Data</c>).</summary>
    public static bool IsNamespace(string value) =>
        value.Length > 0 && value.Split('.').All(part => part.Length > 0 && (char.IsLetter(part[0]) || part[0] == '_') && part.All(c => char.IsLetterOrDigit(c) || c == '_') && !Keywords.Contains(part));

    /// <summary>The C# spelling of a scalar type.</summary>
    public static string TypeName(Type type) =>
        type.IsArray && type != typeof(byte[]) ? TypeName(type.GetElementType()!) + "[]"
        : type == typeof(bool) ? "bool"
        : type == typeof(byte) ? "byte"
        : type == typeof(short) ? "short"
        : type == typeof(int) ? "int"
        : type == typeof(long) ? "long"
        : type == typeof(decimal) ? "decimal"
        : type == typeof(double) ? "double"
        : type == typeof(float) ? "float"
        : type == typeof(string) ? "string"
        : type == typeof(byte[]) ? "byte[]"
        : type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>" // NpgsqlRange<int>, imported by its namespace
        : type.Name; // Guid, DateTime, DateTimeOffset, DateOnly, TimeOnly, TimeSpan: System, imported implicitly by the generated using
}
