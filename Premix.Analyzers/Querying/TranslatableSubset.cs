using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

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
        new TranslatableMethod("collection.Contains", null, "Contains", isStatic: false, parameterCount: 1, columnIsReceiver: false),
        new TranslatableMethod("Enumerable.Contains", "System.Linq.Enumerable", "Contains", isStatic: true, parameterCount: 2, columnIsReceiver: false),
        new TranslatableMethod("MemoryExtensions.Contains", "System.MemoryExtensions", "Contains", isStatic: true, parameterCount: 2, columnIsReceiver: false),
        new TranslatableMethod("MemoryExtensions.Contains(comparer)", "System.MemoryExtensions", "Contains", isStatic: true, parameterCount: 3, columnIsReceiver: false),
        new TranslatableMethod("NpgsqlRange.Contains", "Premix.Providers.PostgreSql.NpgsqlRangeExtensions", "Contains", isStatic: true, parameterCount: 2));

    /// <summary>
    /// Whether the translator translates <paramref name="call"/> in a filter: a method of the subset, with the row read on
    /// the side its entry wants (<paramref name="readsRow"/>) and a value on the other, and no comparer (the translator
    /// takes MemoryExtensions.Contains's comparer only when it is the null C# 14 passes for an omitted one).
    /// </summary>
    public static bool Translates(IInvocationOperation call, Func<IOperation, bool> readsRow)
    {
        if (Match(call.TargetMethod) is not { } entry)
        {
            return false;
        }

        // The receiver is the instance, or an extension method's first argument (Roslyn gives a reduced call its this argument first).
        var arguments = call.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToList();
        var receiver = call.Instance ?? arguments[0];
        var argument = call.Instance is null ? arguments[1] : arguments[0];
        if (arguments.Count == 3 && !arguments[2].ConstantValue.HasValue)
        {
            return false;
        }

        var (column, value) = (readsRow(receiver), readsRow(argument));
        return column != value && (column || !entry.ColumnIsReceiver);
    }

    /// <summary>The entry <paramref name="method"/> matches, or null.</summary>
    private static TranslatableMethod? Match(IMethodSymbol method)
    {
        var reduced = method.ReducedFrom ?? method;
        foreach (var entry in WhereMethods)
        {
            if (reduced.Name == entry.Method && reduced.IsStatic == entry.IsStatic && reduced.Parameters.Length == entry.ParameterCount
                && (entry.ContainingType is null ? IsCollection(reduced.ContainingType) : ColumnTypes.MetadataName(reduced.ContainingType) == entry.ContainingType)
                && (entry.ParameterType is null || reduced.Parameters.All(p => ColumnTypes.MetadataName(p.Type) == entry.ParameterType)))
            {
                return entry;
            }
        }

        return null;
    }

    private static bool IsCollection(INamedTypeSymbol type) =>
        type.SpecialType != SpecialType.System_String && type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable);
}
