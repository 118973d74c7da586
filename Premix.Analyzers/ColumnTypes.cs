using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Premix.Analyzers;

/// <summary>
/// The column types of Premix.Mapping, by metadata name, in the one place the mapping rule (PMX1004) and the query rule
/// (PMX1003) read them from. Premix.Tests' <c>ColumnTypesTests</c> compares both lists with Premix.Mapping's own
/// (<c>ScalarTypes</c>, <c>ArrayTypes</c>) so they cannot drift.
/// </summary>
internal static class ColumnTypes
{
    /// <summary>
    /// The scalar types (Premix.Mapping's <c>ScalarTypes</c>, with <c>byte[]</c>): a column of one of these holds one value,
    /// and a member of it read from a column (<c>x.Name.Length</c>, <c>x.CreatedAt.Year</c>) is never translated.
    /// </summary>
    public static readonly ImmutableArray<string> ScalarTypes = ImmutableArray.Create(
        "System.Boolean", "System.Byte", "System.Int16", "System.Int32", "System.Int64", "System.Decimal", "System.Double", "System.Single",
        "System.String", "System.Guid", "System.DateTime", "System.DateTimeOffset", "System.DateOnly", "System.TimeOnly", "System.TimeSpan");

    /// <summary>The element types of an array column (Premix.Mapping's <c>ArrayTypes</c>): the scalar types but <c>byte</c> and <c>byte[]</c>.</summary>
    public static readonly ImmutableArray<string> ArrayElementTypes = ScalarTypes.Remove("System.Byte");

    /// <summary>Whether <paramref name="type"/> is a scalar column type (<c>byte[]</c> included).</summary>
    public static bool IsScalar(ITypeSymbol type) =>
        type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte } || ScalarTypes.Contains(MetadataName(type));

    /// <summary>Whether <paramref name="type"/> (not nullable: give <c>int</c> for <c>int?</c>) is an array column's element type.</summary>
    public static bool IsArrayElement(ITypeSymbol type) => type is not IArrayTypeSymbol && ArrayElementTypes.Contains(MetadataName(type));

    /// <summary>The namespace-qualified metadata name (<c>System.Collections.Generic.List`1</c>).</summary>
    public static string MetadataName(ITypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + type.MetadataName : type.MetadataName;
}
