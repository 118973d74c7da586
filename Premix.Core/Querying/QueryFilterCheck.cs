using Premix.Mapping;
using Premix.Plans;
using Premix.Providers;

namespace Premix.Querying;

/// <summary>
/// The startup check of every entity's named query filters against the engine: a filter that cannot be translated fails the
/// start, all such filters in one <see cref="MappingException"/>, rather than the first query of that entity.
/// </summary>
internal static class QueryFilterCheck
{
    /// <exception cref="MappingException">A filter reads a member that is not a mapped column, or something queries do not translate.</exception>
    public static void ThrowIfUntranslatable(IEnumerable<EntityPlan> plans, ISqlDialect dialect)
    {
        // A subtype of a hierarchy has its base's filters: they are checked (and reported) once, on the base.
        var problems = plans.Distinct().Where(p => !p.Filters.IsEmpty && p.Entity.Inheritance is not { IsRoot: false })
            .SelectMany(p => p.Filters.Problems(p, dialect)).ToList();
        if (problems.Count > 0)
        {
            throw new MappingException(problems);
        }
    }
}
