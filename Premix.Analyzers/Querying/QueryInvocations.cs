using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Premix.Analyzers.Querying;

/// <summary>
/// Registers an action on every invocation of a compilation that references <c>Premix.Query&lt;T&gt;</c> and
/// <c>Premix.IRepository&lt;T&gt;</c> (none when Premix.Core is not referenced), given the two types.
/// </summary>
internal static class QueryInvocations
{
    public static void Register(AnalysisContext context, Action<OperationAnalysisContext, QueryTypes> action) =>
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName("Premix.Query`1") is { } query && start.Compilation.GetTypeByMetadataName("Premix.IRepository`1") is { } repository)
            {
                var types = new QueryTypes(query, repository);
                start.RegisterOperationAction(c => action(c, types), OperationKind.Invocation);
            }
        });
}
