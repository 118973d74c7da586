using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Premix.Analyzers.Querying;

/// <summary>Registers an action on every invocation of a compilation that references <c>Premix.Query&lt;T&gt;</c> (none when Premix.Core is not referenced).</summary>
internal static class QueryInvocations
{
    public static void Register(AnalysisContext context, Action<OperationAnalysisContext, INamedTypeSymbol> action) =>
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName("Premix.Query`1") is { } query)
            {
                start.RegisterOperationAction(c => action(c, query), OperationKind.Invocation);
            }
        });
}
