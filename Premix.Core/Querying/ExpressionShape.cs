using System.Linq.Expressions;

namespace Premix.Querying;

/// <summary>
/// Compares expression trees by shape: node types, types, members and methods, but not the values of constants and
/// captured variables, which become parameters. Two calls of the same query with other values share one translation.
/// </summary>
internal sealed class ExpressionShape(bool sameNodeIsEqual) : IEqualityComparer<Expression?>
{
    public static readonly ExpressionShape Instance = new(sameNodeIsEqual: true);

    // Compares a node with itself as with another tree: false where a node is of a kind Equals does not compare.
    private static readonly ExpressionShape NodeByNode = new(sameNodeIsEqual: false);

    /// <summary>
    /// Whether <paramref name="node"/> is made only of node kinds <see cref="Equals(Expression?, Expression?)"/> compares:
    /// a tree with another kind equals no other tree, so a cache keyed by it would gain an entry on every call.
    /// </summary>
    public static bool Compares(Expression? node) => NodeByNode.Equals(node, node);

    public bool Equals(Expression? x, Expression? y)
    {
        if (ReferenceEquals(x, y) && (sameNodeIsEqual || x is null))
        {
            return true;
        }

        if (x is null || y is null || x.NodeType != y.NodeType)
        {
            return false;
        }

        // A member node's type is its member's, a call's its method's: comparing the member or method compares the type.
        // The type itself is read only for the other kinds, because a property reads its type through its signature, and
        // this runs on every query call written in place.
        if (x is MemberExpression a1 && y is MemberExpression b1)
        {
            return a1.Member == b1.Member && Equals(a1.Expression, b1.Expression);
        }

        if (x is MethodCallExpression a2 && y is MethodCallExpression b2)
        {
            return a2.Method == b2.Method && Equals(a2.Object, b2.Object) && SameArguments(a2, b2);
        }

        if (x.Type != y.Type)
        {
            return false;
        }

        return (x, y) switch
        {
            (ConstantExpression, ConstantExpression) => true, // a value: compared through the slot values' null mask instead
            (ParameterExpression, ParameterExpression) => true,
            (BinaryExpression a, BinaryExpression b) => a.Method == b.Method && Equals(a.Left, b.Left) && Equals(a.Right, b.Right),
            (UnaryExpression a, UnaryExpression b) => a.Method == b.Method && Equals(a.Operand, b.Operand),
            (LambdaExpression a, LambdaExpression b) => Equals(a.Body, b.Body), // the delegate type, compared above, fixes the parameters
            (NewArrayExpression a, NewArrayExpression b) => All(a.Expressions, b.Expressions),
            (NewExpression a, NewExpression b) => a.Constructor == b.Constructor && SameArguments(a, b),
            (MemberInitExpression a, MemberInitExpression b) => Equals(a.NewExpression, b.NewExpression)
                && a.Bindings.Count == b.Bindings.Count
                && a.Bindings.Zip(b.Bindings).All(p => p.First.Member == p.Second.Member && p.First is MemberAssignment ma && p.Second is MemberAssignment mb && Equals(ma.Expression, mb.Expression)),
            (ConditionalExpression a, ConditionalExpression b) => Equals(a.Test, b.Test) && Equals(a.IfTrue, b.IfTrue) && Equals(a.IfFalse, b.IfFalse),
            _ => false, // unknown node kinds never share a cache entry
        };
    }

    public int GetHashCode(Expression? node)
    {
        if (node is null)
        {
            return 0;
        }

        var hash = default(HashCode);
        hash.Add(node.NodeType);
        switch (node)
        {
            case MemberExpression m: // its type is its member's (see Equals)
                hash.Add(m.Member);
                hash.Add(GetHashCode(m.Expression));
                return hash.ToHashCode();
            case MethodCallExpression c:
                hash.Add(c.Method);
                hash.Add(GetHashCode(c.Object));
                IArgumentProvider arguments = c; // by index: see SameArguments
                for (var i = 0; i < arguments.ArgumentCount; i++)
                {
                    hash.Add(GetHashCode(arguments.GetArgument(i)));
                }

                return hash.ToHashCode();
        }

        hash.Add(node.Type);
        switch (node)
        {
            case BinaryExpression b:
                hash.Add(GetHashCode(b.Left));
                hash.Add(GetHashCode(b.Right));
                break;
            case UnaryExpression u:
                hash.Add(GetHashCode(u.Operand));
                break;
            case LambdaExpression l:
                hash.Add(GetHashCode(l.Body));
                break;
        }

        return hash.ToHashCode();
    }

    // By index through IArgumentProvider: a tree built for this call has not made its argument collection yet, and
    // reading .Arguments would allocate it (this runs on every query call).
    private bool SameArguments(IArgumentProvider a, IArgumentProvider b)
    {
        if (a.ArgumentCount != b.ArgumentCount)
        {
            return false;
        }

        for (var i = 0; i < a.ArgumentCount; i++)
        {
            if (!Equals(a.GetArgument(i), b.GetArgument(i)))
            {
                return false;
            }
        }

        return true;
    }

    private bool All(IReadOnlyList<Expression> a, IReadOnlyList<Expression> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!Equals(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }
}
