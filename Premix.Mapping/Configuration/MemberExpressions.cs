using System.Linq.Expressions;
using System.Reflection;

namespace Premix.Mapping;

/// <summary>Reads the properties named by the lambdas of the fluent API (<c>c =&gt; c.Name</c>, <c>c =&gt; new { c.A, c.B }</c>).</summary>
internal static class MemberExpressions
{
    public static PropertyInfo? Property(LambdaExpression lambda)
    {
        var body = lambda.Body is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert
            ? convert.Operand
            : lambda.Body;
        return body is MemberExpression { Member: PropertyInfo property } member && member.Expression == lambda.Parameters[0]
            ? property
            : null;
    }

    /// <summary>A one-property lambda as its author wrote it (<c>c =&gt; c.Orders</c>), without the conversions the compiler adds.</summary>
    public static string Source(LambdaExpression lambda, PropertyInfo property) =>
        $"{lambda.Parameters[0].Name} => {lambda.Parameters[0].Name}.{property.Name}";

    /// <summary>A lambda of one property or of several (<c>l =&gt; new { l.OrderId, l.OrderNo }</c>) as its author wrote it.</summary>
    public static string Source(LambdaExpression lambda, IReadOnlyList<PropertyInfo> properties)
    {
        var name = lambda.Parameters[0].Name;
        return properties.Count == 1 ? Source(lambda, properties[0]) : $"{name} => new {{ {string.Join(", ", properties.Select(p => $"{name}.{p.Name}"))} }}";
    }

    public static List<PropertyInfo>? Properties(LambdaExpression lambda)
    {
        if (Property(lambda) is { } single)
        {
            return [single];
        }

        if (lambda.Body is not NewExpression { Arguments.Count: > 0 } anonymous)
        {
            return null;
        }

        var properties = new List<PropertyInfo>(anonymous.Arguments.Count);
        foreach (var argument in anonymous.Arguments)
        {
            if (argument is not MemberExpression { Member: PropertyInfo property } member || member.Expression != lambda.Parameters[0])
            {
                return null;
            }

            properties.Add(property);
        }

        return properties;
    }
}
