using System.Linq;
using Microsoft.CodeAnalysis;

namespace Premix.Analyzers.Mapping;

/// <summary>
/// The property types Premix.Mapping's conventions store without a word in the map: the scalar types and enums
/// (<c>ScalarTypes</c>), <c>byte[]</c>, one-dimensional arrays and lists of the array element types (<c>ArrayTypes</c>),
/// <c>Uri</c> and strongly typed ids (<c>ValueConverters.ByConvention</c>), and an engine's own types (Npgsql's ranges).
/// Each test is the run time's, so that what passes here does not fail at startup.
/// </summary>
internal static class StorableTypes
{
    public static bool ByConvention(ITypeSymbol type)
    {
        type = Underlying(type);
        return type.TypeKind == TypeKind.Enum || ColumnTypes.IsScalar(type) || IsArrayColumn(type) || IsStronglyTypedId(type)
            || ColumnTypes.MetadataName(type) == "System.Uri" || type.ContainingNamespace?.ToDisplayString().StartsWith("Npgsql", System.StringComparison.Ordinal) == true;
    }

    /// <summary>T for T?, else the type itself.</summary>
    public static ITypeSymbol Underlying(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;

    // T[] (one dimension: ArrayTypes takes GetArrayRank() == 1) and List<T> of an array element type, T? included.
    private static bool IsArrayColumn(ITypeSymbol type)
    {
        var element = type switch
        {
            IArrayTypeSymbol { Rank: 1 } array => array.ElementType,
            INamedTypeSymbol { TypeArguments.Length: 1 } list when ColumnTypes.MetadataName(list.OriginalDefinition) == "System.Collections.Generic.List`1" => list.TypeArguments[0],
            _ => null,
        };
        return element is not null && ColumnTypes.IsArrayElement(Underlying(element));
    }

    // A struct with one public value of a scalar type, a public constructor taking it (the run time's GetConstructor sees
    // no other) and IEquatable<itself>: stored as that value.
    private static bool IsStronglyTypedId(ITypeSymbol type)
    {
        if (!type.IsValueType || type.TypeKind == TypeKind.Enum || type is not INamedTypeSymbol named
            || !named.AllInterfaces.Any(i => i.Name == "IEquatable" && SymbolEqualityComparer.Default.Equals(i.TypeArguments[0], named)))
        {
            return false;
        }

        var values = named.GetMembers().OfType<IPropertySymbol>().Where(p => !p.IsStatic && !p.IsIndexer).ToList();
        return values.Count == 1 && values[0].GetMethod?.DeclaredAccessibility == Accessibility.Public && values[0].Type.TypeKind != TypeKind.Enum
            && values[0].Type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T && ColumnTypes.IsScalar(values[0].Type)
            && named.InstanceConstructors.Any(c => c.DeclaredAccessibility == Accessibility.Public && c.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, values[0].Type));
    }
}
