using System.Linq.Expressions;
using System.Reflection;

namespace Premix.Querying;

/// <summary>
/// The dotted path of a chain of property reads from a lambda's parameter (<c>x.Home.Geo.Lat</c> gives <c>Home.Geo.Lat</c>):
/// how the model names a value object's member (<see cref="Mapping.PropertyModel.Name"/>) and a nested value object
/// (<see cref="Mapping.OwnedModel.Name"/>).
/// </summary>
internal static class MemberPath
{
    /// <summary>The path, or <see langword="null"/> when <paramref name="node"/> is not such a chain from <paramref name="parameter"/>.</summary>
    public static string? Of(Expression node, ParameterExpression parameter)
    {
        var names = new List<string>();
        while (node is MemberExpression { Member: PropertyInfo property, Expression: { } inner })
        {
            names.Add(property.Name);
            node = inner;
        }

        names.Reverse();
        return node == parameter && names.Count > 0 ? string.Join('.', names) : null;
    }
}
