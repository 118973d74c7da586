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

        // Read through IArgumentProvider, not Arguments: on a tree built for this call (C# builds one per call) Arguments
        // makes a collection, and this runs on every query call (QueryShapeCacheTests).
        IArgumentProvider args = call;
        // list.Contains(x.Id) (instance) or Enumerable.Contains(list, x.Id) (extension).
        if (call.Object is not null && args.ArgumentCount == 1)
        {
            return (call.Object, args.GetArgument(0));
        }

        if (call.Method.DeclaringType == typeof(Enumerable) && args.ArgumentCount == 2)
        {
            return (args.GetArgument(0), args.GetArgument(1));
        }

        // C# 14 binds array.Contains(x) to MemoryExtensions.Contains(ReadOnlySpan<T>, T) through an implicit span conversion.
        // (.NET 10 adds a comparer argument, null when the code did not pass one.)
        if (call.Method.DeclaringType == typeof(MemoryExtensions)
            && (args.ArgumentCount == 2 || (args.ArgumentCount == 3 && args.GetArgument(2) is ConstantExpression { Value: null }))
            && args.GetArgument(0) is MethodCallExpression { Method.Name: "op_Implicit" } conversion
            && conversion is IArgumentProvider { ArgumentCount: 1 } converted)
        {
            return (converted.GetArgument(0), args.GetArgument(1));
        }

        return (null, null);
    }
}
