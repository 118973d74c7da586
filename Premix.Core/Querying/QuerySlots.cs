using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;

namespace Premix.Querying;

/// <summary>
/// The values of one query call: every maximal part of its lambdas that does not depend on the row, in a fixed walk
/// order, evaluated. The same walk on another call of the same shape gives the same slots with that call's values.
/// </summary>
internal sealed class QuerySlots : ExpressionVisitor
{
    private static readonly ConcurrentDictionary<Type, bool> ElementCanBeNull = new();

    // This thread's walker for Rent, while no call is using it. [ThreadStatic] rather than SharedSlots (which is for buffers
    // held across awaits): it is taken and given back within one synchronous Prepare.
    [ThreadStatic]
    private static QuerySlots? t_free;

    private readonly List<Expression> _nodes = [];

    // The sequence searched by the Contains call being walked: the slot that is it is read as a list.
    private Expression? _searched;

    // Which slots are lists: a mask for the first 64, and a set made only for a query past them (an uncompiled query has no
    // limit on its values). Nothing is allocated for a query's usual few slots: it runs on every call (QueryShapeCacheTests).
    private ulong _lists;
    private HashSet<int>? _listsPast64;

    private QuerySlots()
    {
    }

    public IReadOnlyList<Expression> Nodes => _nodes;

    public object?[] Values { get; private set; } = [];

    /// <summary>
    /// Bit i set when slot i is null or is a list holding a null: a null changes the SQL (IS NULL instead of = @p, and an
    /// IN that matches a null column).
    /// </summary>
    public ulong NullMask { get; private set; }

    public static QuerySlots Collect(IEnumerable<LambdaExpression> lambdas)
    {
        var slots = new QuerySlots();
        foreach (var lambda in lambdas)
        {
            slots.Visit(lambda.Body);
        }

        return slots.Evaluated();
    }

    /// <summary>
    /// The slots of one call of a query: its filters (the model's, then <paramref name="lastFilter"/>), its ordering keys,
    /// then <paramref name="assignments"/> (a bulk update's), the order the translation numbers them in, then the slots of the
    /// entity's named filters in <paramref name="active"/>, read by their compiled or generated readers; evaluated. Runs on
    /// every query call: the walker is this thread's, reused (<see cref="Return"/> gives it back), and only its values are
    /// new, an array the caller keeps.
    /// </summary>
    public static QuerySlots Rent(QueryModel model, LambdaExpression? lastFilter, LambdaExpression? assignments, QueryFilterSet filters, ulong active, string? tenant)
    {
        // Taken out while in use: a value whose evaluation prepares another query (a method the lambda calls) walks with a new one.
        var slots = t_free ?? new QuerySlots();
        t_free = null;
        slots.Walk(model, lastFilter, assignments);
        if (active == 0)
        {
            return slots.Evaluated();
        }

        var own = slots._nodes.Count;
        slots._nodes.AddRange(filters.Nodes(active));
        var values = new object?[slots._nodes.Count];
        for (var i = 0; i < own; i++)
        {
            values[i] = SequenceValues.ReadOnce(CapturedValues.Evaluate(slots._nodes[i]), slots.IsList(i));
        }

        filters.ReadValues(active, values, own, tenant);
        slots.Values = values;
        slots.NullMask = NullMaskOf(values);
        return slots;
    }

    /// <summary>
    /// Gives a walker <see cref="Rent"/> returned back to this thread, emptied (its values stay with the caller). Called on the
    /// thread that rented it: <c>Query.Prepare</c> has no await between the two. A walker that grew past 64 slots is dropped.
    /// </summary>
    public void Return()
    {
        if (_nodes.Capacity > 64)
        {
            return;
        }

        _nodes.Clear();
        _searched = null;
        _lists = 0;
        _listsPast64 = null;
        Values = [];
        NullMask = 0;
        t_free = this;
    }

    /// <summary>
    /// The slots of a compiled query's model (<see cref="PremixQuery"/>) or of a set of query filters, found once and not
    /// evaluated: each call computes their values. With them, which are lists: bit i set when slot i is the sequence a
    /// <c>Contains</c> searches (both hold at most 64 values).
    /// </summary>
    public static (IReadOnlyList<Expression> Nodes, ulong Lists) Find(QueryModel model)
    {
        var slots = Walked(model, null);
        var lists = 0UL;
        for (var i = 0; i < slots._nodes.Count && i < 64; i++)
        {
            if (slots.IsList(i))
            {
                lists |= 1UL << i;
            }
        }

        return (slots._nodes, lists);
    }

    /// <summary>Whether bit <paramref name="slot"/> of <paramref name="lists"/> (a mask <see cref="Find"/> returned) is set.</summary>
    public static bool IsList(ulong lists, int slot) => slot < 64 && (lists & (1UL << slot)) != 0;

    // Whether slot i is the sequence a Contains searches (an IN list), which is read as a list.
    private bool IsList(int slot) => slot < 64 ? (_lists & (1UL << slot)) != 0 : _listsPast64?.Contains(slot) == true;

    /// <summary>The slots <see cref="Find"/> found, with one call's values (for translating that call's shape).</summary>
    public static QuerySlots Of(IReadOnlyList<Expression> nodes, object?[] values)
    {
        var slots = new QuerySlots();
        slots._nodes.AddRange(nodes);
        slots.Values = values;
        slots.NullMask = NullMaskOf(values);
        return slots;
    }

    /// <summary>The <see cref="NullMask"/> of these values.</summary>
    public static ulong NullMaskOf(object?[] values)
    {
        var mask = 0UL;
        for (var i = 0; i < values.Length && i < 64; i++)
        {
            if (values[i] is null || HoldsNull(values[i]))
            {
                mask |= 1UL << i;
            }
        }

        return mask;
    }

    private static QuerySlots Walked(QueryModel model, LambdaExpression? assignments)
    {
        var slots = new QuerySlots();
        slots.Walk(model, null, assignments);
        return slots;
    }

    // Loops over the model's arrays, as this runs on every query call.
    private void Walk(QueryModel model, LambdaExpression? lastFilter, LambdaExpression? assignments)
    {
        foreach (var filter in model.Filters)
        {
            Visit(filter.Body);
        }

        if (lastFilter is not null)
        {
            Visit(lastFilter.Body);
        }

        foreach (var ordering in model.Orderings)
        {
            Visit(ordering.Key.Body);
        }

        if (assignments is not null)
        {
            Visit(assignments.Body);
        }
    }

    // Reads every slot's value (in slot order) and marks the nulls.
    private QuerySlots Evaluated()
    {
        var values = _nodes.Count == 0 ? [] : new object?[_nodes.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = SequenceValues.ReadOnce(CapturedValues.Evaluate(_nodes[i]), IsList(i));
        }

        Values = values;
        NullMask = NullMaskOf(values);
        return this;
    }

    /// <summary>Whether <paramref name="value"/> is a list (not a string or a byte array) with a null among its elements.</summary>
    public static bool HoldsNull(object? value)
    {
        if (value is not IEnumerable list || value is string or byte[] || !ElementCanBeNull.GetOrAdd(value.GetType(), CanHoldNull))
        {
            return false;
        }

        foreach (var element in list)
        {
            if (element is null)
            {
                return true;
            }
        }

        return false;
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

    // A List<long> cannot hold a null: its elements are not even looked at. Native AOT keeps no list of a type's interfaces:
    // there, a list other than an array or a List<T> is taken as one that may hold a null, and its elements are looked at.
    [UnconditionalSuppressMessage("Trimming", "IL2070:UnrecognizedReflectionPattern", Justification = "An IEnumerable<T> trimming removed is not found: the list is then taken as one that may hold a null and its elements are looked at, as with dynamic code off.")]
    private static bool CanHoldNull(Type listType)
    {
        var element = listType.IsArray ? listType.GetElementType()
            : !RuntimeFeature.IsDynamicCodeSupported ? (listType.IsGenericType && listType.GetGenericTypeDefinition() == typeof(List<>) ? listType.GetGenericArguments()[0] : null)
            : listType.GetInterfaces().Append(listType).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        return element is not { IsValueType: true } || Nullable.GetUnderlyingType(element) is not null;
    }

    public override Expression? Visit(Expression? node)
    {
        if (node is not null && node is not LambdaExpression && CapturedValues.IsEvaluable(node))
        {
            if (ReferenceEquals(node, _searched))
            {
                MarkList(_nodes.Count);
            }

            _nodes.Add(node);
            return node;
        }

        // The usual nodes of a predicate walked here rather than through Accept and the base's VisitX, which also rebuild
        // nothing but compare every child to its visit's result: the same children in the same order (a binary node's
        // left, then right; a conversion lambda, for ??, goes through the base). Runs on every query call written in place.
        switch (node)
        {
            case ParameterExpression:
                return node;
            case MemberExpression member:
                Visit(member.Expression);
                return node;
            case BinaryExpression { Conversion: null } binary:
                Visit(binary.Left);
                Visit(binary.Right);
                return node;
            case UnaryExpression unary:
                Visit(unary.Operand);
                return node;
            default:
                return base.Visit(node);
        }
    }

    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        if (ContainsCall.Parts(node).Source is not { } source)
        {
            return base.VisitMethodCall(node);
        }

        var outer = _searched;
        _searched = source;
        var visited = base.VisitMethodCall(node);
        _searched = outer;
        return visited;
    }

    private void MarkList(int slot)
    {
        if (slot < 64)
        {
            _lists |= 1UL << slot;
        }
        else
        {
            (_listsPast64 ??= []).Add(slot);
        }
    }
}
