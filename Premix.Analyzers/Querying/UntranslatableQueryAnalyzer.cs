using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Premix.Analyzers.Querying;

/// <summary>
/// PMX1003: a <c>Where</c>, ordering or <c>Select</c> lambda of a <c>Query&lt;T&gt;</c> that calls a method or reads a member
/// on the row the translator does not translate (<see cref="TranslatableSubset"/>). What does not read the row (a captured
/// value, <c>DateTime.UtcNow.AddDays(-7)</c>) is a parameter computed before the query, and is never reported in a filter.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UntranslatableQueryAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.Untranslatable);

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
        var name = invocation.TargetMethod.Name;
        if (name is not ("Where" or "OrderBy" or "OrderByDescending" or "ThenBy" or "ThenByDescending" or "Select")
            || !types.IsQuery(invocation.TargetMethod.ContainingType)
            || invocation.Arguments.Length != 1 || Lambdas.Of(invocation.Arguments[0].Value) is not { } lambda)
        {
            return;
        }

        foreach (var operation in lambda.Body.Descendants())
        {
            if (Problem(operation, lambda, name) is { } reason)
            {
                context.ReportDiagnostic(Diagnostic.Create(Rules.Untranslatable, operation.Syntax.GetLocation(), operation.Syntax.ToString(), name, reason));
            }
        }
    }

    private static string? Problem(IOperation operation, IAnonymousFunctionOperation lambda, string clause) => operation switch
    {
        IInvocationOperation call when clause == "Select" =>
            "Select builds its result from mapped columns only (new Dto(x.A, x.B), x => x.A), and calls no method",
        IInvocationOperation call when Lambdas.ReadsParameter(call, lambda) && clause != "Where" =>
            "an ordering key is a mapped property, not a computed value",
        IInvocationOperation call when Lambdas.ReadsParameter(call, lambda) && !TranslatableSubset.Translates(call, side => Lambdas.ReadsParameter(side, lambda)) =>
            "a filter translates column.StartsWith/EndsWith/Contains(value) on a string column, values.Contains(column) and arrayColumn.Contains(value), nothing else",
        IPropertyReferenceOperation { Instance: { Type: { } type } instance } member when ColumnTypes.IsScalar(type) && Lambdas.ReadsParameter(instance, lambda) =>
            type.Name + "." + member.Property.Name + " of a column is not translated",
        _ => null,
    };
}
