using System.Linq.Expressions;

namespace Premix.Querying;

/// <summary>
/// The parts of a <c>Contains</c> call in a query's lambda: what is searched and what is looked for, in each form the C#
/// compiler writes. The translation reads them (a captured list searched for a column: IN; an array column searched for a
/// value: = ANY), and so do the query's slots (a captured list is read once, as a list).
/// </summary>
internal static class ContainsCall
{
    /// <summary>The searched sequence and the item of <paramref name="call"/>, or nulls when it is not a <c>Contains</c> call.</summary>
    public static (Expression? Source, Expression? Item) Parts(MethodCallExpression call)
    {
        if (call.Method.Name != "Contains")
        {
            return (null, null);
        }

        // list.Contains(x.Id) (instance) or Enumerable.Contains(list, x.Id) (extension).
        if (call.Object is not null && call.Arguments.Count == 1)
        {
            return (call.Object, call.Arguments[0]);
        }

        if (call.Method.DeclaringType == typeof(Enumerable) && call.Arguments.Count == 2)
        {
            return (call.Arguments[0], call.Arguments[1]);
        }

        // C# 14 binds array.Contains(x) to MemoryExtensions.Contains(ReadOnlySpan<T>, T) through an implicit span conversion.
        // (.NET 10 adds a comparer argument, null when the code did not pass one.)
        if (call.Method.DeclaringType == typeof(MemoryExtensions)
            && (call.Arguments.Count == 2 || (call.Arguments.Count == 3 && call.Arguments[2] is ConstantExpression { Value: null }))
            && call.Arguments[0] is MethodCallExpression { Method.Name: "op_Implicit", Arguments: [var array] })
        {
            return (array, call.Arguments[1]);
        }

        return (null, null);
    }
}
