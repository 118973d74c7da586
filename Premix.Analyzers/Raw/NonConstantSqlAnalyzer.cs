using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Premix.Analyzers.Raw;

/// <summary>
/// PMX1001: a string built from values (interpolation, concatenation, <c>string.Format</c>/<c>Concat</c>/<c>Join</c>,
/// <c>StringBuilder.ToString()</c>, a conditional over those, or a local or mutable field that holds one) passed to the
/// verbatim <c>Raw(string sql, object? args)</c> of <c>IPremix</c> or <c>IUnitOfWork</c>.
/// </summary>
/// <remarks>
/// A parameter of the calling method is not reported: a wrapper that forwards its own SQL argument cannot know where it
/// came from, and flagging every wrapper would bury the real cases (the goal is no false positives).
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NonConstantSqlAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.NonConstantSql);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var premix = start.Compilation.GetTypeByMetadataName("Premix.IPremix");
            var unitOfWork = start.Compilation.GetTypeByMetadataName("Premix.IUnitOfWork");
            if (premix is null || unitOfWork is null)
            {
                return; // Premix.Core is not referenced
            }

            start.RegisterOperationAction(c => Analyze(c, premix, unitOfWork), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, INamedTypeSymbol premix, INamedTypeSymbol unitOfWork)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!IsVerbatimRaw(invocation.TargetMethod, premix, unitOfWork) || invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0) is not { } sql)
        {
            return;
        }

        if (SqlShapes.Describe(sql.Value) is { } shape)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.NonConstantSql, sql.Value.Syntax.GetLocation(), invocation.TargetMethod.ContainingType.Name + ".Raw", shape));
        }
    }

    private static bool IsVerbatimRaw(IMethodSymbol method, INamedTypeSymbol premix, INamedTypeSymbol unitOfWork) =>
        method.Name == "Raw" && method.Parameters.Length == 2 && method.Parameters[0].Type.SpecialType == SpecialType.System_String
        && (Implements(method.ContainingType, premix) || Implements(method.ContainingType, unitOfWork));

    private static bool Implements(INamedTypeSymbol type, INamedTypeSymbol contract) =>
        SymbolEqualityComparer.Default.Equals(type, contract) || type.AllInterfaces.Contains(contract, SymbolEqualityComparer.Default);
}
