using System.Linq.Expressions;

namespace Premix.Mapping;

/// <summary>
/// Finds a parameter a conversion uses but does not declare, such as a hand-built lambda over another lambda's parameter.
/// The expression API accepts it when the tree is built and only <c>Compile</c> refuses it; converters compile on first
/// use, so without this check such a mapping would start and fail at its first query.
/// </summary>
internal sealed class UndeclaredParameters : ExpressionVisitor
{
    // The parameters and block variables in scope at the node being visited (a name can be declared by nested scopes).
    private readonly List<ParameterExpression> _declared = [];
    private ParameterExpression? _first;

    /// <summary>The first parameter <paramref name="conversion"/> uses outside every lambda or block that declares it, or <see langword="null"/>.</summary>
    public static ParameterExpression? In(LambdaExpression conversion)
    {
        var finder = new UndeclaredParameters();
        finder.Visit(conversion);
        return finder._first;
    }

    protected override Expression VisitLambda<T>(Expression<T> node) => InScope(node.Parameters, () => base.VisitLambda(node));

    protected override Expression VisitBlock(BlockExpression node) => InScope(node.Variables, () => base.VisitBlock(node));

    protected override CatchBlock VisitCatchBlock(CatchBlock node) =>
        node.Variable is { } variable ? InScope([variable], () => base.VisitCatchBlock(node)) : base.VisitCatchBlock(node);

    protected override Expression VisitParameter(ParameterExpression node)
    {
        if (_first is null && !_declared.Contains(node))
        {
            _first = node;
        }

        return node;
    }

    private TResult InScope<TResult>(IReadOnlyCollection<ParameterExpression> declared, Func<TResult> visit)
    {
        _declared.AddRange(declared);
        try
        {
            return visit();
        }
        finally
        {
            _declared.RemoveRange(_declared.Count - declared.Count, declared.Count);
        }
    }
}
