namespace Premix.Mapping;

/// <summary>
/// Ranks entity types so that every principal is inserted before its dependents (deletes run in reverse), and reports
/// every cycle of relations between types, for which no such order exists, with the model's other problems.
/// </summary>
internal static class InsertOrder
{
    /// <summary>Each type's rank (0: inserted first), in a depth-first order over "dependent needs principal".</summary>
    /// <remarks>A type referring to itself is allowed: rows of one type are inserted in the order they were added.</remarks>
    public static Dictionary<Type, int> Rank(IReadOnlyList<EntityModel> entities, IReadOnlyList<ForeignKeyModel> foreignKeys, List<MappingProblem> problems)
    {
        var principals = Principals(entities, foreignKeys);
        var rank = new Dictionary<Type, int>();
        var visiting = new List<Type>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        void Visit(Type type)
        {
            if (rank.ContainsKey(type))
            {
                return;
            }

            if (visiting.Contains(type))
            {
                ReportCycle(visiting.Skip(visiting.IndexOf(type)).ToList(), reported, problems);
                return; // keep walking: every other cycle is reported in the same exception
            }

            visiting.Add(type);
            foreach (var principal in principals[type])
            {
                Visit(principal);
            }

            visiting.Remove(type);
            rank[type] = rank.Count;
        }

        foreach (var entity in entities)
        {
            Visit(entity.ClrType);
        }

        return rank;
    }

    // For each type, the other types it holds a foreign key to, in declaration order.
    private static Dictionary<Type, List<Type>> Principals(IReadOnlyList<EntityModel> entities, IReadOnlyList<ForeignKeyModel> foreignKeys)
    {
        var principals = entities.ToDictionary(e => e.ClrType, _ => new List<Type>());
        foreach (var foreignKey in foreignKeys)
        {
            if (foreignKey.Principal != foreignKey.Dependent)
            {
                principals[foreignKey.Dependent].Add(foreignKey.Principal);
            }
        }

        return principals;
    }

    private static void ReportCycle(List<Type> cycle, HashSet<string> reported, List<MappingProblem> problems)
    {
        // A cycle found again from another of its types (or through a second relation between the same types) is said once.
        if (!reported.Add(string.Join("|", cycle.Select(t => t.FullName).Order(StringComparer.Ordinal))))
        {
            return;
        }

        var path = string.Join(" -> ", cycle.Append(cycle[0]).Select(t => t.Name));
        problems.Add(new MappingProblem(
            cycle[0].Name,
            null,
            $"is part of a cycle of required parents ({path}), so no insert order exists.",
            "Remove one relation of the cycle, or keep that foreign key as a plain property and set it after both rows exist."));
    }
}
