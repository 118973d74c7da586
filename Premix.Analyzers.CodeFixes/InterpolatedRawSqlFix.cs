using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace Premix.Analyzers.CodeFixes;

/// <summary>
/// Fixes PMX1001 where the SQL is an interpolated string that decayed to <c>string</c> before it reached <c>Raw</c>, so that
/// it binds to the parameterised <c>Raw(RawSql)</c> again: <c>(string)$"..."</c> loses its cast, and each interpolated
/// branch of <c>flag ? $"..." : $"..."</c> is typed <c>RawSql</c>. Offered only for <c>Raw</c> with no arguments object
/// (the interpolated overload takes none) and branches that hold a hole. Concatenations and <c>string.Format</c> get no
/// fix: which part is a value and which is SQL is for the author to say.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InterpolatedRawSqlFix))]
[Shared]
public sealed class InterpolatedRawSqlFix : CodeFixProvider
{
    private const string Title = "Pass the interpolated SQL to Raw($\"...\"), each hole a parameter (wrap names in RawSql.Identifier)";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Rules.NonConstantSql.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not ExpressionSyntax sql
            || sql.Parent is not ArgumentSyntax { Parent: ArgumentListSyntax { Arguments.Count: 1 } }
            || Rewritten(sql) is not { } replacement)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(Title, token => Replace(context.Document, root, sql, replacement, token), equivalenceKey: Title),
            context.Diagnostics);
    }

    private static Task<Document> Replace(Document document, SyntaxNode root, ExpressionSyntax sql, ExpressionSyntax replacement, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(sql, replacement.WithTriviaFrom(sql))));
    }

    private static ExpressionSyntax? Rewritten(ExpressionSyntax sql) => Unparenthesized(sql) switch
    {
        CastExpressionSyntax { Expression: var operand } when Unparenthesized(operand) is InterpolatedStringExpressionSyntax interpolated && HasHole(interpolated) => interpolated,
        ConditionalExpressionSyntax conditional
            when Unparenthesized(conditional.WhenTrue) is InterpolatedStringExpressionSyntax whenTrue && HasHole(whenTrue)
                 && Unparenthesized(conditional.WhenFalse) is InterpolatedStringExpressionSyntax whenFalse && HasHole(whenFalse)
            => conditional.WithWhenTrue(AsRawSql(whenTrue)).WithWhenFalse(AsRawSql(whenFalse)),
        _ => null,
    };

    // (global::Premix.RawSql)$"...", simplified to (RawSql)$"..." where Premix is imported.
    private static ExpressionSyntax AsRawSql(InterpolatedStringExpressionSyntax interpolated) =>
        SyntaxFactory.CastExpression(SyntaxFactory.ParseTypeName("global::Premix.RawSql").WithAdditionalAnnotations(Simplifier.Annotation), interpolated.WithoutTrivia())
            .WithTriviaFrom(interpolated);

    private static bool HasHole(InterpolatedStringExpressionSyntax interpolated) => interpolated.Contents.OfType<InterpolationSyntax>().Any();

    private static ExpressionSyntax Unparenthesized(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }
}
