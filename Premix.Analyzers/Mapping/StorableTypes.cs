using System.Linq;
using Microsoft.CodeAnalysis;
using Premix.Analyzers.Querying;

namespace Premix.Analyzers.Mapping;

/// <summary>
/// The property types Premix.Mapping's conventions store without a word in the map: the scalar types and enums
/// (<c>ScalarTypes</c>), <c>byte[]</c>, arrays and lists of scalars (<c>ArrayTypes</c>), <c>Uri</c> and strongly typed ids
/// (<c>ValueConverters.ByConvention</c>), and an engine's own types (Npgsql's ranges).
/// </summary>
internal static class StorableTypes
{
    public static bool ByConvention(ITypeSymbol type)
    {
        type = Underlying(type);
        return type.TypeKind == TypeKind.Enum || TranslatableSubset.IsScalar(type) || IsArrayOfScalars(type) || IsStronglyTypedId(type)
            || type is INamedTypeSymbol { Name: "Uri", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } || type.ContainingNamespace?.ToDisplayString().StartsWith("Npgsql", System.StringComparison.Ordinal) == true;
    }

    /// <summary>T for T?, else the type itself.</summary>
    public static ITypeSymbol Underlying(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;

    // T[] and List<T> of the element types an array column takes (ArrayTypes; byte is none: byte[] is a scalar).
    private static bool IsArrayOfScalars(ITypeSymbol type)
    {
        var element = type switch
        {
            IArrayTypeSymbol array => array.ElementType,
            INamedTypeSymbol { Name: "List", ContainingNamespace.Name: "Generic", TypeArguments.Length: 1 } list => list.TypeArguments[0],
            _ => null,
        };
        return element is not null && Underlying(element) is var value && value.SpecialType != SpecialType.System_Byte && TranslatableSubset.IsScalar(value);
    }

    // A struct with one public value of a scalar type, a constructor taking it and IEquatable<itself>: stored as that value.
    private static bool IsStronglyTypedId(ITypeSymbol type)
    {
        if (!type.IsValueType || type.TypeKind == TypeKind.Enum || type is not INamedTypeSymbol named
            || !named.AllInterfaces.Any(i => i.Name == "IEquatable" && SymbolEqualityComparer.Default.Equals(i.TypeArguments[0], named)))
        {
            return false;
        }

        var values = named.GetMembers().OfType<IPropertySymbol>().Where(p => !p.IsStatic && !p.IsIndexer).ToList();
        return values.Count == 1 && values[0].GetMethod?.DeclaredAccessibility == Accessibility.Public && values[0].Type.TypeKind != TypeKind.Enum
            && values[0].Type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T && TranslatableSubset.IsScalar(values[0].Type)
            && named.InstanceConstructors.Any(c => c.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, values[0].Type));
    }
}
