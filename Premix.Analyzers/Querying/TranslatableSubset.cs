using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Premix.Analyzers.Querying;

/// <summary>
/// What Premix's query translator (Premix.Core's <c>SqlTranslator</c> and <c>Projection</c>) accepts, in the one place the
/// analyzer reads it from. Premix.Tests' <c>TranslatableSubsetTests</c> translates a sample of every entry on each engine,
/// so the analyzer cannot accept what the translator refuses.
/// </summary>
internal static class TranslatableSubset
{
    /// <summary>The methods a <c>Where</c> lambda may call on a column or with one as an argument (<c>LIKE</c>, <c>IN</c>, an array or range test).</summary>
    public static readonly ImmutableArray<TranslatableMethod> WhereMethods = ImmutableArray.Create(
        new TranslatableMethod("string.StartsWith", "System.String", "StartsWith", isStatic: false, parameterCount: 1, parameterType: "System.String"),
        new TranslatableMethod("string.EndsWith", "System.String", "EndsWith", isStatic: false, parameterCount: 1, parameterType: "System.String"),
        new TranslatableMethod("string.Contains", "System.String", "Contains", isStatic: false, parameterCount: 1, parameterType: "System.String"),
        new TranslatableMethod("collection.Contains", null, "Contains", isStatic: false, parameterCount: 1),
        new TranslatableMethod("Enumerable.Contains", "System.Linq.Enumerable", "Contains", isStatic: true, parameterCount: 2),
        new TranslatableMethod("MemoryExtensions.Contains", "System.MemoryExtensions", "Contains", isStatic: true, parameterCount: 2),
        new TranslatableMethod("MemoryExtensions.Contains(comparer)", "System.MemoryExtensions", "Contains", isStatic: true, parameterCount: 3),
        new TranslatableMethod("NpgsqlRange.Contains", "Premix.Providers.PostgreSql.NpgsqlRangeExtensions", "Contains", isStatic: true, parameterCount: 2));

    /// <summary>
    /// The column types (Premix.Mapping's <c>ScalarTypes</c>): a member of one of these read from a column (<c>x.Name.Length</c>,
    /// <c>x.CreatedAt.Year</c>) is never translated. <c>Nullable&lt;T&gt;.Value</c>/<c>HasValue</c> are.
    /// </summary>
    public static readonly ImmutableArray<string> ScalarTypes = ImmutableArray.Create(
        "System.Boolean", "System.Byte", "System.Int16", "System.Int32", "System.Int64", "System.Decimal", "System.Double", "System.Single",
        "System.String", "System.Guid", "System.DateTime", "System.DateTimeOffset", "System.DateOnly", "System.TimeOnly", "System.TimeSpan");

    /// <summary>The entry <paramref name="method"/> matches, or null.</summary>
    public static TranslatableMethod? Match(IMethodSymbol method)
    {
        var reduced = method.ReducedFrom ?? method;
        foreach (var entry in WhereMethods)
        {
            if (reduced.Name == entry.Method && reduced.IsStatic == entry.IsStatic && reduced.Parameters.Length == entry.ParameterCount
                && (entry.ContainingType is null ? IsCollection(reduced.ContainingType) : MetadataName(reduced.ContainingType) == entry.ContainingType)
                && (entry.ParameterType is null || reduced.Parameters.All(p => MetadataName(p.Type) == entry.ParameterType)))
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="type"/> is a column type whose members the translator never reads (<c>byte[]</c>'s included).</summary>
    public static bool IsScalar(ITypeSymbol type) =>
        type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte } || ScalarTypes.Contains(MetadataName(type));

    private static bool IsCollection(INamedTypeSymbol type) =>
        type.SpecialType != SpecialType.System_String && type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable);

    private static string MetadataName(ITypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + type.MetadataName : type.MetadataName;
}
