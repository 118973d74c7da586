using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Premix.Analyzers.Querying;

/// <summary>
/// PMX1002: <c>DeleteAllAsync</c>, <c>HardDeleteAllAsync</c> or <c>UpdateAllAsync</c> on a <c>Query&lt;T&gt;</c> whose
/// chain, back to where the query was made (<c>uow.Query&lt;T&gt;()</c>, <c>repository.Query()</c>), has neither a
/// <c>Where(...)</c> (other than <c>Where(x =&gt; true)</c>) nor <c>AllowUnsafe()</c>: the run-time guard would throw.
/// </summary>
/// <remarks>A chain that starts from a variable, a parameter or a field is not reported: its filters are not visible here.</remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnfilteredBulkOperationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.UnfilteredBulk);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        QueryInvocations.Register(context, Analyze);
    }

    private static void Analyze(OperationAnalysisContext context, INamedTypeSymbol query)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod.Name is not ("DeleteAllAsync" or "HardDeleteAllAsync" or "UpdateAllAsync") || !IsQuery(invocation.TargetMethod.ContainingType, query))
        {
            return;
        }

        var receiver = invocation.Instance;
        while (receiver is IInvocationOperation step && IsQuery(step.TargetMethod.ContainingType, query))
        {
            if (step.TargetMethod.Name == "AllowUnsafe" || (step.TargetMethod.Name == "Where" && !AlwaysTrue(step)))
            {
                return;
            }

            receiver = step.Instance;
        }

        // The chain began with a method of something else that made the query (uow.Query<T>(), repository.Query()): nothing filtered it.
        if (receiver is IInvocationOperation origin && origin.Type is INamedTypeSymbol made && IsQuery(made, query))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.UnfilteredBulk, invocation.Syntax.GetLocation(), invocation.TargetMethod.Name));
        }
    }

    private static bool IsQuery(INamedTypeSymbol? type, INamedTypeSymbol query) => SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, query);

    // Where(x => true) filters nothing, and the run-time guard treats it so.
    private static bool AlwaysTrue(IInvocationOperation where) =>
        where.Arguments.Length == 1 && Lambdas.Of(where.Arguments[0].Value) is { } lambda && Lambdas.ReturnedValue(lambda) is { ConstantValue: { HasValue: true, Value: true } };
}
