using System.Collections;
using System.Linq.Expressions;
using Premix.Plans;
using Premix.Querying;

namespace Premix.Testing;

/// <summary>
/// Evaluates a <c>Where</c> predicate on rows in memory as SQL would: with three-valued logic (a comparison with NULL is
/// unknown, <c>NOT unknown</c> is unknown, and only true keeps a row), the null checks and IN lists that Premix's SQL
/// translation writes, and text compared as <see cref="FakeOptions"/> says the engine compares it. It is only given
/// predicates that translation accepted, so it handles exactly that subset.
/// </summary>
internal sealed class InMemoryFilter
{
    private readonly InMemoryColumns _columns;
    private readonly FakeOptions _options;
    private readonly LambdaExpression _lambda;
    private readonly QuerySlots _slots;

    public InMemoryFilter(EntityPlan plan, FakeOptions options, LambdaExpression lambda)
    {
        _columns = new InMemoryColumns(plan, lambda);
        _options = options;
        _lambda = lambda;
        _slots = QuerySlots.Collect([lambda]); // the same walk as translation: the same nodes are values
    }

    /// <summary>Whether the row is kept: the predicate is true (not false, not unknown).</summary>
    public bool Keeps(object row) => Condition(_lambda.Body, row) == true;

    private bool? Condition(Expression node, object row)
    {
        switch (node)
        {
            case BinaryExpression { NodeType: ExpressionType.AndAlso } and:
                var (left, right) = (Condition(and.Left, row), Condition(and.Right, row));
                return left == false || right == false ? false : left == true && right == true ? true : null;
            case BinaryExpression { NodeType: ExpressionType.OrElse } or:
                var (first, second) = (Condition(or.Left, row), Condition(or.Right, row));
                return first == true || second == true ? true : first == false && second == false ? false : null;
            case BinaryExpression comparison when IsComparison(comparison.NodeType):
                return Comparison(comparison, row);
            case UnaryExpression { NodeType: ExpressionType.Not } not:
                return !Condition(not.Operand, row);
            case MethodCallExpression call:
                return Call(call, row);
            case MemberExpression { Member.Name: "HasValue" } hasValue when _columns.Find(hasValue.Expression!) is { } nullable:
                return nullable.ReadRaw(row) is not null;
            case var _ when _slots.IndexOf(node) is var slot and >= 0:
                return (bool?)_slots.Values[slot];
            default:
                return (bool?)_columns.Find(node)!.ReadRaw(row); // a bool column: NULL is unknown
        }
    }

    private bool? Comparison(BinaryExpression comparison, object row)
    {
        var (leftColumn, rightColumn) = (_columns.Find(comparison.Left), _columns.Find(comparison.Right));
        if (leftColumn is not null && rightColumn is not null)
        {
            return Compare(comparison.NodeType, leftColumn.ReadStored(row), rightColumn.ReadStored(row));
        }

        var (column, columnNode, valueNode, mirrored) = leftColumn is not null ? (leftColumn, comparison.Left, comparison.Right, false) : (rightColumn!, comparison.Right, comparison.Left, true);
        var value = _columns.Stored(column, columnNode, _slots.Values[_slots.IndexOf(valueNode)]);
        var current = column.ReadStored(row);
        if (value is null && comparison.NodeType is ExpressionType.Equal or ExpressionType.NotEqual)
        {
            return (current is null) == (comparison.NodeType == ExpressionType.Equal); // IS NULL / IS NOT NULL: never unknown
        }

        return mirrored ? Compare(comparison.NodeType, value, current) : Compare(comparison.NodeType, current, value);
    }

    private bool? Compare(ExpressionType op, object? left, object? right)
    {
        if (left is null || right is null)
        {
            return null;
        }

        var order = InMemoryValues.Compare(left, right, _options.TextComparer);
        return op switch
        {
            ExpressionType.Equal => order == 0,
            ExpressionType.NotEqual => order != 0,
            ExpressionType.LessThan => order < 0,
            ExpressionType.LessThanOrEqual => order <= 0,
            ExpressionType.GreaterThan => order > 0,
            _ => order >= 0,
        };
    }

    private bool? Call(MethodCallExpression call, object row)
    {
        if (call.Method.DeclaringType == typeof(string) && call.Object is not null && _columns.Find(call.Object) is { } text)
        {
            var (value, pattern) = (text.ReadStored(row) as string, _slots.Values[_slots.IndexOf(call.Arguments[0])] as string);
            if (value is null || pattern is null)
            {
                return null;
            }

            return call.Method.Name switch
            {
                nameof(string.StartsWith) => InMemoryValues.Like(value, pattern, _options.LikeCase, LikeAnchor.Start),
                nameof(string.EndsWith) => InMemoryValues.Like(value, pattern, _options.LikeCase, LikeAnchor.End),
                _ => InMemoryValues.Like(value, pattern, _options.LikeCase, LikeAnchor.Anywhere),
            };
        }

        // list.Contains(x.P), Enumerable.Contains(list, x.P) or C# 14's MemoryExtensions.Contains(span, x.P): an IN list.
        var item = call.Object is not null ? call.Arguments[0] : call.Arguments[1];
        var source = call.Object ?? call.Arguments[0];
        var list = (IEnumerable)_slots.Values[_slots.IndexOf(source is MethodCallExpression { Method.Name: "op_Implicit" } span && _slots.IndexOf(source) < 0 ? span.Arguments[0] : source)]!;
        var column = _columns.Find(item)!;
        var current = column.ReadStored(row);
        if (current is null)
        {
            return QuerySlots.HoldsNull(list); // the translation adds "column IS NULL OR" exactly when the list holds a null
        }

        // Nulls are left out of the bound list, so the IN itself is never unknown and NOT IN keeps C#'s meaning.
        foreach (var element in list)
        {
            if (element is not null && InMemoryValues.Compare(current, _columns.Stored(column, item, element)!, _options.TextComparer) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsComparison(ExpressionType type) => type is ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.LessThan
        or ExpressionType.LessThanOrEqual or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual;
}
