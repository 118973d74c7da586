using System.Linq.Expressions;

namespace Premix.Querying;

/// <summary>
/// Compares expression trees by shape: node types, types, members and methods, but not the values of constants and
/// captured variables, which become parameters. Two calls of the same query with other values share one translation.
/// </summary>
internal sealed class ExpressionShape : IEqualityComparer<Expression?>
{
    public static readonly ExpressionShape Instance = new();

    public bool Equals(Expression? x, Expression? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null || x.NodeType != y.NodeType || x.Type != y.Type)
        {
            return false;
        }

        return (x, y) switch
        {
            (ConstantExpression, ConstantExpression) => true, // a value: compared through the slot values' null mask instead
            (ParameterExpression, ParameterExpression) => true,
            (MemberExpression a, MemberExpression b) => a.Member == b.Member && Equals(a.Expression, b.Expression),
            (BinaryExpression a, BinaryExpression b) => a.Method == b.Method && Equals(a.Left, b.Left) && Equals(a.Right, b.Right),
            (UnaryExpression a, UnaryExpression b) => a.Method == b.Method && Equals(a.Operand, b.Operand),
            (MethodCallExpression a, MethodCallExpression b) => a.Method == b.Method && Equals(a.Object, b.Object) && SameArguments(a, b),
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

    // One accumulator through the whole tree rather than a HashCode per node: this runs for every lambda of every query call
    // written in place (the cache key's hash). It mixes what Equals compares (node types, types, members, methods), never a
    // value, so trees Equals calls equal hash equal.
    public int GetHashCode(Expression? node) => Mix(17, node);

    private static int Mix(int hash, Expression? node)
    {
        if (node is null)
        {
            return Combine(hash, 0);
        }

        hash = Combine(Combine(hash, (int)node.NodeType), node.Type.GetHashCode());
        switch (node)
        {
            case MemberExpression m:
                return Mix(Combine(hash, m.Member.GetHashCode()), m.Expression);
            case BinaryExpression b:
                return Mix(Mix(hash, b.Left), b.Right);
            case UnaryExpression u:
                return Mix(hash, u.Operand);
            case MethodCallExpression c:
                hash = Mix(Combine(hash, c.Method.GetHashCode()), c.Object);
                IArgumentProvider arguments = c; // by index: see SameArguments
                for (var i = 0; i < arguments.ArgumentCount; i++)
                {
                    hash = Mix(hash, arguments.GetArgument(i));
                }

                return hash;
            case LambdaExpression l:
                return Mix(hash, l.Body);
            default:
                return hash;
        }
    }

    private static int Combine(int hash, int value) => unchecked((hash * -1521134295) + value);

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
