using System.Linq.Expressions;
using System.Runtime.CompilerServices;

namespace Premix.Querying;

/// <summary>
/// One call's arguments of a compiled query (<see cref="PremixQuery"/>), for <see cref="CapturedValues"/> to read where a
/// placeholder stands for one in a slot: how a slot is computed with dynamic code off, evaluated over the call's values
/// instead of by a compiled delegate.
/// </summary>
/// <param name="placeholders">The reads that stand for the arguments in the query's model, in the lambda's order.</param>
/// <param name="values">The call's arguments, the boxed value tuple (<c>Item1</c> for the first placeholder, ...).</param>
internal sealed class ArgumentValues(MemberExpression[] placeholders, ITuple values)
{
    /// <summary>Whether <paramref name="node"/> stands for an argument; its value is then in <paramref name="value"/>.</summary>
    public bool TryRead(MemberExpression node, out object? value)
    {
        var index = Array.IndexOf(placeholders, node);
        value = index >= 0 ? values[index] : null;
        return index >= 0;
    }
}
