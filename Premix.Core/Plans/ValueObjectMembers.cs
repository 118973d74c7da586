using System.Reflection;
using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// Which of a value object's values go into its constructor and which are set after it, the same for the compiled reader
/// (<see cref="RowReaders.ValueObject"/>, over expressions) and the interpreted one (<c>InterpretedValueObjects</c>, over
/// the row's values): its own members and the value objects it holds (each made first, from theirs), the ones whose names
/// the constructor's parameters have (ignoring case) passed to it in its order, the others set.
/// </summary>
internal static class ValueObjectMembers
{
    /// <summary>The constructor's arguments and the members set after it, of <paramref name="owner"/> made from <paramref name="members"/>.</summary>
    /// <param name="owner">The value object.</param>
    /// <param name="members">The columns of <paramref name="owner"/> and of those it holds, each with its value.</param>
    /// <param name="nested">Makes a value object <paramref name="owner"/> holds from its own columns' values.</param>
    public static (List<(ParameterInfo Parameter, T Value)> Arguments, List<(PropertyInfo Member, T Value)> Set) Of<T>(
        OwnedModel owner, IReadOnlyList<(PropertyModel Member, T Value)> members, Func<OwnedModel, List<(PropertyModel Member, T Value)>, T> nested)
    {
        var depth = owner.Path.Count;
        var values = members.Where(m => m.Member.Owner == owner).Select(m => (Member: m.Member.Property, m.Value))
            .Concat(members.Where(m => m.Member.Owner!.Path.Count > depth).GroupBy(m => m.Member.Owner!.Path[depth])
                .Select(group => (Member: group.Key.Navigation, Value: nested(group.Key, group.ToList()))))
            .ToList();
        var parameters = owner.Constructor.GetParameters();
        return (
            [.. parameters.Select(p => (p, values.First(m => Named(m.Member.Name, p.Name)).Value))],
            [.. values.Where(m => !parameters.Any(p => Named(m.Member.Name, p.Name)))]);
    }

    private static bool Named(string member, string? parameter) => string.Equals(member, parameter, StringComparison.OrdinalIgnoreCase);
}
