using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

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
    private static readonly ConcurrentDictionary<Operator, Func<Expression, Expression, object?>> Operators = new();

    private static readonly MethodInfo EvaluateMethod = typeof(CapturedValues).GetMethod(nameof(Evaluate))!;

    /// <summary>Whether <paramref name="node"/> can be evaluated without a row: it mentions no lambda parameter.</summary>
    public static bool IsEvaluable(Expression node) => !node.Type.IsByRefLike && node switch
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
    };

    public static object? Evaluate(Expression node) => node switch
    {
        ConstantExpression c => c.Value,
        MemberExpression { Member: FieldInfo field } m => field.GetValue(m.Expression is null ? null : Evaluate(m.Expression)),
        MemberExpression { Member: PropertyInfo property } m => property.GetValue(m.Expression is null ? null : Evaluate(m.Expression)),
        MethodCallExpression c => c.Method.Invoke(c.Object is null ? null : Evaluate(c.Object), Arguments(c)),
        UnaryExpression { NodeType: ExpressionType.Convert } u => Casts.Unchecked(Evaluate(u.Operand), u.Type, u.Method),
        UnaryExpression u => Convert(Evaluate(u.Operand), u.Type),
        NewArrayExpression a => NewArray(a),
        NewExpression { Constructor: { } constructor } n => constructor.Invoke(Arguments(n)),
        NewExpression n => RuntimeFeature.IsDynamicCodeSupported ? ValueTypeDefault(n) : throw DefaultNotUnderNativeAot(n),
        ListInitExpression l => ListInit(l),
        BinaryExpression { NodeType: ExpressionType.Coalesce } b => Evaluate(b.Left) ?? Evaluate(b.Right),
        BinaryExpression b => Operators.GetOrAdd(new Operator(b.NodeType, b.Left.Type, b.Right.Type, b.IsLiftedToNull, b.Method), Compile)(b.Left, b.Right),
        ConditionalExpression c => Evaluate(c.Test) is true ? Evaluate(c.IfTrue) : Evaluate(c.IfFalse),
        _ => throw new NotSupportedException($"Premix cannot evaluate '{node}'."),
    };

    // A NewExpression without a constructor is new S() of a value type (a class's has its constructor).
    [UnconditionalSuppressMessage("Trimming", "IL2072:UnrecognizedReflectionPattern", Justification = "Only a value type's new S() has no constructor: Activator makes its default, without any constructor kept.")]
    private static object? ValueTypeDefault(NewExpression node) => Activator.CreateInstance(node.Type);

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
    private static Func<Expression, Expression, object?> Compile(Operator op)
    {
        var left = Expression.Parameter(typeof(Expression), "left");
        var right = Expression.Parameter(typeof(Expression), "right");
        var body = Expression.MakeBinary(
            op.NodeType,
            Expression.Convert(Expression.Call(EvaluateMethod, left), op.Left),
            Expression.Convert(Expression.Call(EvaluateMethod, right), op.Right),
            op.LiftToNull,
            op.Method);
        return Expression.Lambda<Func<Expression, Expression, object?>>(Expression.Convert(body, typeof(object)), left, right).Compile();
    }

    // An array of exactly the arguments' size, read by index: no enumerator, no argument collection.
    private static object?[] Arguments(IArgumentProvider call)
    {
        if (call.ArgumentCount == 0)
        {
            return [];
        }

        var values = new object?[call.ArgumentCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Evaluate(call.GetArgument(i));
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

    private static Array NewArray(NewArrayExpression node)
    {
        // Made from the array type itself, which the expression's own type is: no element type looked up at run time.
        var array = Array.CreateInstanceFromArrayType(node.Type, node.Expressions.Count);
        for (var i = 0; i < node.Expressions.Count; i++)
        {
            array.SetValue(Evaluate(node.Expressions[i]), i);
        }

        return array;
    }

    private static object ListInit(ListInitExpression node)
    {
        var list = Evaluate(node.NewExpression)!;
        for (var i = 0; i < node.Initializers.Count; i++)
        {
            node.Initializers[i].AddMethod.Invoke(list, Arguments(node.Initializers[i]));
        }

        return list;
    }

    private readonly record struct Operator(ExpressionType NodeType, Type Left, Type Right, bool LiftToNull, MethodInfo? Method);
}
