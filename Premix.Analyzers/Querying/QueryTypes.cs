using System.Linq;
using Microsoft.CodeAnalysis;

namespace Premix.Analyzers.Querying;

/// <summary>Premix.Core's <c>Query&lt;T&gt;</c> and <c>IRepository&lt;T&gt;</c> (whose <c>Query()</c> makes a query), as the compilation sees them.</summary>
internal sealed class QueryTypes(INamedTypeSymbol query, INamedTypeSymbol repository)
{
    /// <summary>The open <c>Premix.Query`1</c>.</summary>
    public INamedTypeSymbol Query { get; } = query;

    /// <summary>The open <c>Premix.IRepository`1</c>.</summary>
    public INamedTypeSymbol Repository { get; } = repository;

    /// <summary>Whether <paramref name="type"/> is a <c>Query&lt;T&gt;</c>.</summary>
    public bool IsQuery(INamedTypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, Query);

    /// <summary>Whether <paramref name="type"/> is or implements an <c>IRepository&lt;T&gt;</c>.</summary>
    public bool IsRepository(INamedTypeSymbol type) =>
        SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, Repository) || type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, Repository));
}
