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
/// <remarks>
/// A chain that starts from anything else (a variable, a parameter, a field, a helper or extension method returning a
/// query) is not reported: its filters are not visible here.
/// </remarks>
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

    private static void Analyze(OperationAnalysisContext context, QueryTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod.Name is not ("DeleteAllAsync" or "HardDeleteAllAsync" or "UpdateAllAsync") || !types.IsQuery(invocation.TargetMethod.ContainingType))
        {
            return;
        }

        var receiver = invocation.Instance;
        while (receiver is IInvocationOperation step && types.IsQuery(step.TargetMethod.ContainingType))
        {
            if (step.TargetMethod.Name == "AllowUnsafe" || (step.TargetMethod.Name == "Where" && !AlwaysTrue(step)))
            {
                return;
            }

            receiver = step.Instance;
        }

        // The chain began where the query was made, a repository's Query(): nothing filtered it.
        if (receiver is IInvocationOperation { TargetMethod: { Name: "Query", Parameters.Length: 0 } origin } && types.IsRepository(origin.ContainingType))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.UnfilteredBulk, invocation.Syntax.GetLocation(), invocation.TargetMethod.Name));
        }
    }

    // Where(x => true) filters nothing, and the run-time guard treats it so.
    private static bool AlwaysTrue(IInvocationOperation where) =>
        where.Arguments.Length == 1 && Lambdas.Of(where.Arguments[0].Value) is { } lambda && Lambdas.ReturnedValue(lambda) is { ConstantValue: { HasValue: true, Value: true } };
}
