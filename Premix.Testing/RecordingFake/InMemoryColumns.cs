using System.Linq.Expressions;
using Premix.Plans;

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

        return node is MemberExpression member && member.Expression == lambda.Parameters[0]
            ? plan.Properties.FirstOrDefault(p => p.Name == member.Member.Name)
            : null;
    }
}
