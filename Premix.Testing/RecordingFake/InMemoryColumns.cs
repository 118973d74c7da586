using System.Linq.Expressions;
using Premix.Plans;
using Premix.Querying;

namespace Premix.Testing;

/// <summary>The mapped columns a lambda reads from its row, found as SQL translation finds them (through conversions and <c>Nullable.Value</c>).</summary>
internal sealed class InMemoryColumns(EntityPlan plan, LambdaExpression lambda)
{
    /// <summary>The column <paramref name="node"/> reads from the row, or null when it reads none.</summary>
    public ParameterBinding? Find(Expression node)
    {
        while (node is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert)
        {
            node = convert.Operand;
        }

        if (node is MemberExpression { Member.Name: "Value" } value && Nullable.GetUnderlyingType(value.Expression!.Type) is not null)
        {
            node = value.Expression;
        }

        // c.Id.Value: the member a converter stores is the converted column itself (see ReadsStoredMember).
        if (node is MemberExpression { Expression: { } inner } part && inner != lambda.Parameters[0] && Find(inner) is { Property.Converter: not null } converted)
        {
            return ConvertedMember.IsStored(converted, part) ? converted : null;
        }

        return node is MemberExpression member && member.Expression == lambda.Parameters[0]
            ? plan.Properties.FirstOrDefault(p => p.Name == member.Member.Name)
            : null;
    }

    /// <summary>
    /// The value a query compares <paramref name="node"/>'s column with, as the column stores it: through the column's
    /// converter, unless <paramref name="node"/> reads the stored member of a converted value already (<c>c.Id.Value</c>).
    /// </summary>
    public object? Stored(ParameterBinding column, Expression node, object? value)
    {
        if (value is null || column.Property.Converter is null || ReadsStoredMember(node))
        {
            return value;
        }

        var type = column.Property.ValueType;
        return column.ToStored(type.IsEnum && !type.IsInstanceOfType(value) ? Enum.ToObject(type, value) : value); // the compiler compared an enum as its number
    }

    private bool ReadsStoredMember(Expression node)
    {
        while (node is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert)
        {
            node = convert.Operand;
        }

        return node is MemberExpression { Expression: { } inner } && inner != lambda.Parameters[0] && Find(node) is not null;
    }
}
