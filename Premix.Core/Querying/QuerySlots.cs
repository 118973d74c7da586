using System.Linq.Expressions;

namespace Premix.Querying;

/// <summary>
/// The values of one query call: every maximal part of its lambdas that does not depend on the row, in a fixed walk
/// order, evaluated. The same walk on another call of the same shape gives the same slots with that call's values.
/// </summary>
internal sealed class QuerySlots : ExpressionVisitor
{
    private readonly List<Expression> _nodes = [];

    private QuerySlots()
    {
    }

    public IReadOnlyList<Expression> Nodes => _nodes;

    public object?[] Values { get; private set; } = [];

    /// <summary>Bit i set when slot i is null (a null changes the SQL: IS NULL instead of = @p).</summary>
    public ulong NullMask { get; private set; }

    public static QuerySlots Collect(IEnumerable<LambdaExpression> lambdas)
    {
        var slots = new QuerySlots();
        foreach (var lambda in lambdas)
        {
            slots.Visit(lambda.Body);
        }

        slots.Values = slots._nodes.Select(CapturedValues.Evaluate).ToArray();
        for (var i = 0; i < slots.Values.Length && i < 64; i++)
        {
            if (slots.Values[i] is null)
            {
                slots.NullMask |= 1UL << i;
            }
        }

        return slots;
    }

    public int IndexOf(Expression node)
    {
        for (var i = 0; i < _nodes.Count; i++)
        {
            if (ReferenceEquals(_nodes[i], node))
            {
                return i;
            }
        }

        return -1;
    }

    public override Expression? Visit(Expression? node)
    {
        if (node is not null && node is not LambdaExpression && CapturedValues.IsEvaluable(node))
        {
            _nodes.Add(node);
            return node;
        }

        return base.Visit(node);
    }
}
