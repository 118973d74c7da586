using Premix.Mapping;
using Premix.Plans;

namespace Premix.Querying;

/// <summary>
/// A value object a Select reads whole (<c>x.Home.Geo</c>), made from its columns' values without compiling anything, as
/// the compiled reader makes it (<c>RowReaders.ValueObject</c>): its constructor's parameters matched by name, the other
/// members set, nested value objects made first, an optional one whose columns are all NULL left null. It makes nothing at
/// run time, so it also serves a start with dynamic code off (value objects on the generated model), where the compiled
/// reader is not available.
/// </summary>
internal static class InterpretedValueObjects
{
    /// <summary><paramref name="target"/>, reached from <paramref name="start"/> (made from <paramref name="members"/>' values), or null.</summary>
    /// <param name="start">The value object made: <paramref name="target"/>, or the outermost optional one holding it.</param>
    /// <param name="target">The value object the selector reads.</param>
    /// <param name="members">The columns of <paramref name="start"/> and of those it holds, with their places in <paramref name="values"/>.</param>
    /// <param name="values">The row's values, by ordinal.</param>
    public static object? Reached(OwnedModel start, OwnedModel target, (PropertyModel Member, int Ordinal)[] members, object?[] values)
    {
        var built = Made(start, Array.ConvertAll(members, m => (m.Member, Value: values[m.Ordinal])));
        for (var depth = start.Path.Count; depth < target.Path.Count && built is not null; depth++)
        {
            built = target.Path[depth].Navigation.GetValue(built);
        }

        return built;
    }

    private static object? Made(OwnedModel owner, IReadOnlyList<(PropertyModel Member, object? Value)> members)
    {
        if (!owner.IsRequired && members.All(m => m.Value is null))
        {
            return null;
        }

        var (arguments, set) = ValueObjectMembers.Of(owner, members, Made);
        // A member read as T? (the owner may hold none) goes into a T as its value, or default(T) when NULL: reflection
        // passes a zero-initialized T for a null argument of a value type (MethodBase.Invoke, PropertyInfo.SetValue), so
        // no default is made for a type known only at run time, which would need dynamic code.
        var created = owner.Constructor.Invoke([.. arguments.Select(a => a.Value)]);
        foreach (var (member, value) in set)
        {
            member.SetValue(created, value);
        }

        return created;
    }
}
