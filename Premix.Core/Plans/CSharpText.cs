using System.Globalization;
using System.Text;

namespace Premix.Plans;

/// <summary>How generated code writes types and strings: fully qualified (<c>global::</c>) so no using can change what a name means.</summary>
internal static class CSharpText
{
    /// <summary>The C# name of <paramref name="type"/>: <c>global::Shop.Customer</c>, <c>global::System.Int64?</c>, <c>global::System.Byte[]</c>.</summary>
    public static string TypeName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return TypeName(underlying) + "?";
        }

        if (type.IsArray)
        {
            return TypeName(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        }

        return Named(type, type.IsGenericType ? type.GetGenericArguments() : []);
    }

    // The name of type with arguments as its generic arguments. A nested type's begin with its declaring type's
    // (Outer<A>.Inner<B> has A, B): the parent is printed from its definition with its share, the nested type with the rest
    // (Codecs.Of<T> keeps its T, Outer<A>.Inner has none). No type is constructed: MakeGenericType needs dynamic code.
    private static string Named(Type type, Type[] arguments)
    {
        if (!type.IsNested)
        {
            return Generic("global::" + (type.Namespace is null ? "" : type.Namespace + ".") + Simple(type), arguments);
        }

        var parent = type.DeclaringType!;
        var inherited = parent.IsGenericTypeDefinition ? parent.GetGenericArguments().Length : 0;
        return Generic(Named(parent, arguments[..inherited]) + "." + Simple(type), arguments[inherited..]);
    }

    /// <summary>A C# string literal holding <paramref name="text"/> exactly.</summary>
    public static string Literal(string text)
    {
        var literal = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            literal.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) || char.IsSurrogate(c) || c > '\u007e' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return literal.Append('"').ToString();
    }

    /// <summary>A name made of <paramref name="text"/>'s letters and digits, safe as (part of) an identifier.</summary>
    public static string Identifier(string text)
    {
        var identifier = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            identifier.Append(char.IsLetterOrDigit(c) && c < '\u0080' ? c : '_');
        }

        return identifier.Length == 0 || char.IsDigit(identifier[0]) ? "_" + identifier : identifier.ToString();
    }

    private static string Generic(string name, Type[] arguments) => arguments.Length == 0 ? name : $"{name}<{string.Join(", ", arguments.Select(TypeName))}>";

    private static string Simple(Type type) => type.Name.IndexOf('`', StringComparison.Ordinal) is var tick and >= 0 ? type.Name[..tick] : type.Name;
}
