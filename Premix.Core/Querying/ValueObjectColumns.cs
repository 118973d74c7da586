using System.Linq.Expressions;
using Premix.Mapping;
using Premix.Plans;

namespace Premix.Querying;

/// <summary>
/// What a Select reads for a whole value object of the entity (<c>x.Home.Geo</c>), the same for the compiled reader
/// (<see cref="Projection"/>) and the interpreted one (<see cref="InterpretedProjection"/>): the value object, the one made
/// from the row (itself, or the outermost optional one that holds it, since a nested one is null when that one is) and
/// the columns of that one's members, a nested one's included.
/// </summary>
internal static class ValueObjectColumns
{
    /// <summary>The value object at <paramref name="path"/>, or <see cref="NotSupportedException"/> when it is none and no mapped column either.</summary>
    /// <param name="plan">The entity's plan.</param>
    /// <param name="path">The member chain the selector reads (<c>Home.Geo</c>), no mapped column.</param>
    /// <param name="selector">The selector, for the message.</param>
    public static (OwnedModel Target, OwnedModel Start, List<ParameterBinding> Members) Of(EntityPlan plan, string path, LambdaExpression selector)
    {
        var target = plan.Properties.Select(p => p.Property.Owner?.Path.FirstOrDefault(o => o.Name == path)).FirstOrDefault(o => o is not null)
            ?? throw new NotSupportedException($"{plan.Entity.Name}.{path} is not a mapped column, so Select({selector}) cannot read it.");
        var start = target.Path.Take(target.Path.Count - 1).FirstOrDefault(o => !o.IsRequired) ?? target;
        return (target, start, plan.Properties.Where(p => p.Property.Owner?.Path.Contains(start) == true).ToList());
    }
}
