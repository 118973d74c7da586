using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Premix.Plans;

namespace Premix.Querying;

/// <summary>
/// Evaluates the parts of a query expression that do not depend on the row (constants, captured variables, static
/// members, calls and operators on them) with a small interpreter. No delegate is compiled per call: an operator
/// (<c>days * 2</c>, which has no method to invoke when primitive) runs through a delegate compiled once per operator
/// and operand types. Arguments are read through <see cref="IArgumentProvider"/>, as a tree built for this call has not
/// made its argument collections yet and reading them would allocate them. Spans cannot be boxed, so a span conversion
/// (C# 14 binds <c>array.Contains(x)</c> to <c>MemoryExtensions.Contains</c>) is never a value: its array is.
/// </summary>
internal static class CapturedValues
{
    private static readonly ConcurrentDictionary<Operator, Func<Expression, Expression, ArgumentValues?, object?>> Operators = new();

    private static readonly MethodInfo EvaluateMethod = typeof(CapturedValues).GetMethod(nameof(Evaluate), [typeof(Expression), typeof(ArgumentValues)])!;

    /// <summary>Whether <paramref name="node"/> can be evaluated without a row: it mentions no lambda parameter.</summary>
    // The node's kind first, its type last: most nodes a query call walks mention the row (a parameter, a column compared),
    // and answer without the type looked at (this runs for every node of every query call written in place).
    public static bool IsEvaluable(Expression node) => node switch
    {
        ParameterExpression => false,
        ConstantExpression => true,
        MemberExpression m => m.Expression is null || IsEvaluable(m.Expression),
        MethodCallExpression c => (c.Object is null || IsEvaluable(c.Object)) && AllEvaluable(c),
        UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked or ExpressionType.Quote } u => IsEvaluable(u.Operand),
        NewArrayExpression a => AllEvaluable(a.Expressions),
        ListInitExpression l => AllEvaluable(l.NewExpression) && AllEvaluable(l.Initializers),
        NewExpression n => AllEvaluable(n),
        BinaryExpression b => b.NodeType != ExpressionType.ArrayIndex && IsEvaluable(b.Left) && IsEvaluable(b.Right),
        ConditionalExpression c => IsEvaluable(c.Test) && IsEvaluable(c.IfTrue) && IsEvaluable(c.IfFalse),
        _ => false,
    } && !node.Type.IsByRefLike;

    public static object? Evaluate(Expression node) => Evaluate(node, null);

    /// <summary>
    /// <paramref name="node"/>'s value, where a placeholder of <paramref name="arguments"/> (a compiled query's argument,
    /// with dynamic code off) reads that call's argument.
    /// </summary>
    public static object? Evaluate(Expression node, ArgumentValues? arguments) => node switch
    {
        ConstantExpression c => c.Value,
        MemberExpression m when arguments is not null && arguments.TryRead(m, out var argument) => argument,
        MemberExpression { Member: FieldInfo field } m => field.GetValue(m.Expression is null ? null : Evaluate(m.Expression, arguments)),
        MemberExpression { Member: PropertyInfo property } m => property.GetValue(m.Expression is null ? null : Evaluate(m.Expression, arguments)),
        MethodCallExpression c => c.Method.Invoke(c.Object is null ? null : Evaluate(c.Object, arguments), Arguments(c, arguments)),
        UnaryExpression { NodeType: ExpressionType.Convert } u => Casts.Unchecked(Evaluate(u.Operand, arguments), u.Type, u.Method),
        UnaryExpression { NodeType: ExpressionType.ConvertChecked or ExpressionType.Quote } u => Convert(Evaluate(u.Operand, arguments), u.Type),
        NewArrayExpression a => NewArray(a, arguments),
        NewExpression { Constructor: { } constructor } n => constructor.Invoke(Arguments(n, arguments)),
        NewExpression n => RuntimeFeature.IsDynamicCodeSupported ? ValueTypes.Default(n.Type) : throw DefaultNotUnderNativeAot(n),
        ListInitExpression l => ListInit(l, arguments),
        BinaryExpression { NodeType: ExpressionType.Coalesce } b => Evaluate(b.Left, arguments) ?? Evaluate(b.Right, arguments),
        BinaryExpression b => Operators.GetOrAdd(new Operator(b.NodeType, b.Left.Type, b.Right.Type, b.IsLiftedToNull, b.Method), Compile)(b.Left, b.Right, arguments),
        ConditionalExpression c => Evaluate(c.Test, arguments) is true ? Evaluate(c.IfTrue, arguments) : Evaluate(c.IfFalse, arguments),
        _ => throw new NotSupportedException($"Premix cannot evaluate '{node}'."),
    };

    // new S() of a struct: Activator needs S's parameterless constructor kept for reflection, which native AOT does not do for
    // a type known only at run time.
    private static NotSupportedException DefaultNotUnderNativeAot(NewExpression node) => new(
        $"Premix cannot evaluate '{node}' (a {node.Type.Name} made without a constructor) with dynamic code off (RuntimeFeature.IsDynamicCodeSupported is false: a native AOT binary, or a JIT build of a project with PublishAot). " +
        $"Fix: Make the value before the query (var value = new {node.Type.Name}();) and use the variable in the query.");

    // A checked conversion: a number widened or narrowed (an overflow throws), an enum from its number, a nullable as its value.
    private static object? Convert(object? value, Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return value is null || target.IsInstanceOfType(value) ? value
            : target.IsEnum ? Enum.ToObject(target, value)
            : value.GetType().IsEnum ? System.Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture)
            : value is IConvertible ? System.Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture)
            : value;
    }

    // One delegate per operator and operand types, the operands evaluated inside it: && and || still skip their right
    // side, and a lifted or user-defined operator (string + string, decimal, DateTime) keeps the semantics C# gave it.
    private static Func<Expression, Expression, ArgumentValues?, object?> Compile(Operator op)
    {
        var left = Expression.Parameter(typeof(Expression), "left");
        var right = Expression.Parameter(typeof(Expression), "right");
        var arguments = Expression.Parameter(typeof(ArgumentValues), "arguments");
        var body = Expression.MakeBinary(
            op.NodeType,
            Expression.Convert(Expression.Call(EvaluateMethod, left, arguments), op.Left),
            Expression.Convert(Expression.Call(EvaluateMethod, right, arguments), op.Right),
            op.LiftToNull,
            op.Method);
        return Expression.Lambda<Func<Expression, Expression, ArgumentValues?, object?>>(Expression.Convert(body, typeof(object)), left, right, arguments).Compile();
    }

    // An array of exactly the arguments' size, read by index: no enumerator, no argument collection.
    private static object?[] Arguments(IArgumentProvider call, ArgumentValues? arguments)
    {
        if (call.ArgumentCount == 0)
        {
            return [];
        }

        var values = new object?[call.ArgumentCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Evaluate(call.GetArgument(i), arguments);
        }

        return values;
    }

    private static bool AllEvaluable(IArgumentProvider call)
    {
        for (var i = 0; i < call.ArgumentCount; i++)
        {
            if (!IsEvaluable(call.GetArgument(i)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllEvaluable(IReadOnlyList<Expression> nodes)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            if (!IsEvaluable(nodes[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllEvaluable(IReadOnlyList<ElementInit> initializers)
    {
        for (var i = 0; i < initializers.Count; i++)
        {
            if (!AllEvaluable(initializers[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static Array NewArray(NewArrayExpression node, ArgumentValues? arguments)
    {
        // Made from the array type itself, which the expression's own type is: no element type looked up at run time.
        var array = Array.CreateInstanceFromArrayType(node.Type, node.Expressions.Count);
        for (var i = 0; i < node.Expressions.Count; i++)
        {
            array.SetValue(Evaluate(node.Expressions[i], arguments), i);
        }

        return array;
    }

    private static object ListInit(ListInitExpression node, ArgumentValues? arguments)
    {
        var list = Evaluate(node.NewExpression, arguments)!;
        for (var i = 0; i < node.Initializers.Count; i++)
        {
            node.Initializers[i].AddMethod.Invoke(list, Arguments(node.Initializers[i], arguments));
        }

        return list;
    }

    private readonly record struct Operator(ExpressionType NodeType, Type Left, Type Right, bool LiftToNull, MethodInfo? Method);
}
