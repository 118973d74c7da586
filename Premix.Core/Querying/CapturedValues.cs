using System.Linq.Expressions;
using System.Reflection;

namespace Premix.Querying;

/// <summary>
/// Evaluates the parts of a query expression that do not depend on the row (constants, captured variables, static
/// members, calls and operators on them) with a small interpreter: no delegate is compiled per call, except for an
/// arithmetic operator on primitives (<c>days * 2</c>), which has no method to invoke. Spans cannot be boxed, so a
/// span conversion (C# 14 binds <c>array.Contains(x)</c> to <c>MemoryExtensions.Contains</c>) is never a value: its
/// array is.
/// </summary>
internal static class CapturedValues
{
    /// <summary>Whether <paramref name="node"/> can be evaluated without a row: it mentions no lambda parameter.</summary>
    public static bool IsEvaluable(Expression node) => !node.Type.IsByRefLike && node switch
    {
        ParameterExpression => false,
        ConstantExpression => true,
        MemberExpression m => m.Expression is null || IsEvaluable(m.Expression),
        MethodCallExpression c => (c.Object is null || IsEvaluable(c.Object)) && c.Arguments.All(IsEvaluable),
        UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked or ExpressionType.Quote } u => IsEvaluable(u.Operand),
        NewArrayExpression a => a.Expressions.All(IsEvaluable),
        ListInitExpression l => l.Initializers.All(i => i.Arguments.All(IsEvaluable)),
        NewExpression n => n.Arguments.All(IsEvaluable),
        BinaryExpression b => b.NodeType != ExpressionType.ArrayIndex && IsEvaluable(b.Left) && IsEvaluable(b.Right),
        ConditionalExpression c => IsEvaluable(c.Test) && IsEvaluable(c.IfTrue) && IsEvaluable(c.IfFalse),
        _ => false,
    };

    public static object? Evaluate(Expression node) => node switch
    {
        ConstantExpression c => c.Value,
        MemberExpression { Member: FieldInfo field } m => field.GetValue(m.Expression is null ? null : Evaluate(m.Expression)),
        MemberExpression { Member: PropertyInfo property } m => property.GetValue(m.Expression is null ? null : Evaluate(m.Expression)),
        MethodCallExpression c => c.Method.Invoke(c.Object is null ? null : Evaluate(c.Object), c.Arguments.Select(Evaluate).ToArray()),
        UnaryExpression u => Convert(Evaluate(u.Operand), u.Type),
        NewArrayExpression a => NewArray(a),
        NewExpression n => n.Constructor is null ? Activator.CreateInstance(n.Type) : n.Constructor.Invoke(n.Arguments.Select(Evaluate).ToArray()),
        ListInitExpression l => ListInit(l),
        BinaryExpression b => Binary(b),
        ConditionalExpression c => Evaluate(c.Test) is true ? Evaluate(c.IfTrue) : Evaluate(c.IfFalse),
        _ => throw new NotSupportedException($"Premix cannot evaluate '{node}'."),
    };

    private static object? Convert(object? value, Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return value is null || target.IsInstanceOfType(value) ? value
            : target.IsEnum ? Enum.ToObject(target, value)
            : value.GetType().IsEnum ? System.Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture)
            : value is IConvertible ? System.Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture)
            : value;
    }

    // string + string, decimal and DateTime operators, and lifted ones, name their method; ?? and primitive arithmetic do not.
    private static object? Binary(BinaryExpression node) => node switch
    {
        { NodeType: ExpressionType.Coalesce } => Evaluate(node.Left) ?? Evaluate(node.Right),
        { Method: { } method } when !node.IsLifted => method.Invoke(null, [Evaluate(node.Left), Evaluate(node.Right)]),
        _ => Expression.Lambda(node).Compile(preferInterpretation: true).DynamicInvoke(),
    };

    private static Array NewArray(NewArrayExpression node)
    {
        var array = Array.CreateInstance(node.Type.GetElementType()!, node.Expressions.Count);
        for (var i = 0; i < node.Expressions.Count; i++)
        {
            array.SetValue(Evaluate(node.Expressions[i]), i);
        }

        return array;
    }

    private static object ListInit(ListInitExpression node)
    {
        var list = Evaluate(node.NewExpression)!;
        foreach (var initializer in node.Initializers)
        {
            initializer.AddMethod.Invoke(list, initializer.Arguments.Select(Evaluate).ToArray());
        }

        return list;
    }
}
