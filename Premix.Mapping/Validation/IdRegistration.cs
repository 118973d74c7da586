namespace Premix.Mapping;

/// <summary>
/// The registration a fix offers for a strongly typed id while dynamic code is off,
/// <c>Convert(ValueConverters.StronglyTypedId&lt;OrderLine.Id&lt;Customer&gt;, long&gt;())</c>: written as C# the user
/// can paste, so a generic id keeps its type arguments, a nested one its outer classes and a value type its keyword.
/// </summary>
internal static class IdRegistration
{
    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(bool)] = "bool", [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(short)] = "short",
        [typeof(ushort)] = "ushort", [typeof(int)] = "int", [typeof(uint)] = "uint", [typeof(long)] = "long",
        [typeof(ulong)] = "ulong", [typeof(float)] = "float", [typeof(double)] = "double", [typeof(decimal)] = "decimal",
        [typeof(char)] = "char", [typeof(string)] = "string", [typeof(object)] = "object",
    };

    /// <summary>The call for an id of <paramref name="id"/> holding a <paramref name="value"/>, or <c>TValue</c> when the value type is unknown.</summary>
    public static string Call(Type id, Type? value) =>
        $"Convert(ValueConverters.StronglyTypedId<{CSharpName(id)}, {(value is null ? "TValue" : CSharpName(value))}>())";

    /// <summary><paramref name="type"/> as C# names it.</summary>
    public static string CSharpName(Type type) =>
        Keywords.TryGetValue(type, out var keyword) ? keyword
        : Nullable.GetUnderlyingType(type) is { } underlying ? CSharpName(underlying) + "?"
        : Named(type, type.IsGenericType ? type.GetGenericArguments() : []);

    // A nested type's generic arguments start with those of its outer classes (Outer<T>.Id is Outer`1+Id over [T]).
    private static string Named(Type type, Type[] arguments)
    {
        var outer = type.IsNested && !type.IsGenericParameter ? type.DeclaringType : null;
        var outerCount = outer is { IsGenericTypeDefinition: true } ? outer.GetGenericArguments().Length : 0;
        var prefix = outer is null ? "" : Named(outer, arguments[..outerCount]) + ".";
        var tick = type.Name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? prefix + type.Name : $"{prefix}{type.Name[..tick]}<{string.Join(", ", arguments[outerCount..].Select(CSharpName))}>";
    }
}
