namespace Premix.Mapping;

/// <summary>
/// Ranks entity types so that every principal is inserted before its dependents (deletes run in reverse), and reports
/// every cycle of relations between types, for which no such order exists, with the model's other problems.
/// </summary>
internal static class InsertOrder
{
    /// <summary>Each type's rank (0: inserted first), in a depth-first order over "dependent needs principal".</summary>
    /// <remarks>A type referring to itself is allowed: rows of one type are inserted in the order they were added.</remarks>
    /// <param name="entities">The entities that have a table of their own.</param>
    /// <param name="foreignKeys">The model's foreign keys, whose ends may be subclasses of a table-per-hierarchy mapping.</param>
    /// <param name="tableOf">The entity of <paramref name="entities"/> whose table holds a type's rows.</param>
    /// <param name="problems">Where each cycle is reported.</param>
    public static Dictionary<Type, int> Rank(IReadOnlyList<EntityModel> entities, IReadOnlyList<ForeignKeyModel> foreignKeys, Func<Type, Type> tableOf, List<MappingProblem> problems)
    {
        var principals = Principals(entities, foreignKeys, tableOf);
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
                ReportCycle(visiting.Skip(visiting.IndexOf(type)).ToList(), entities, reported, problems);
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
    private static Dictionary<Type, List<Type>> Principals(IReadOnlyList<EntityModel> entities, IReadOnlyList<ForeignKeyModel> foreignKeys, Func<Type, Type> tableOf)
    {
        var principals = entities.ToDictionary(e => e.ClrType, _ => new List<Type>());
        foreach (var foreignKey in foreignKeys)
        {
            var (principal, dependent) = (tableOf(foreignKey.Principal), tableOf(foreignKey.Dependent));
            if (principal != dependent)
            {
                principals[dependent].Add(principal);
            }
        }

        return principals;
    }

    private static void ReportCycle(List<Type> cycle, IReadOnlyList<EntityModel> entities, HashSet<string> reported, List<MappingProblem> problems)
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
            Fix(cycle[0], cycle[1], entities)));
    }

    // The first step of the cycle (the first type needs the second) named relation by relation: removing a relation from
    // the maps is not enough where it has navigation properties, which Premix would then take for columns.
    private static string Fix(Type dependent, Type principal, IReadOnlyList<EntityModel> entities)
    {
        var declarations = new List<string>();
        var navigations = new List<string>();
        var foreignKeys = new List<string>();
        foreach (var entity in entities.Where(e => e.ClrType == dependent || e.ClrType == principal))
        {
            foreach (var relation in entity.Relations.Where(r => r.IsDeclaredOnPrincipal ? entity.ClrType == principal && r.Target == dependent : entity.ClrType == dependent && r.Target == principal))
            {
                declarations.Add($"{entity.Name}'s {(relation.Navigation is { } navigation ? $"{relation.Kind}(x => x.{navigation.Name})" : $"{relation.Kind}<{relation.Target.Name}>()")}");
                navigations.AddRange(relation.Navigation is { } nav ? [$"{entity.Name}.{nav.Name}"] : []);
                foreignKeys.Add($"{dependent.Name}.{relation.ForeignKeyName}");
            }
        }

        var keys = string.Join(" and ", foreignKeys.Distinct());
        return $"Break the cycle at one relation, for example at {keys}: remove {string.Join(" and ", declarations)} from the maps"
            + (navigations.Count == 0 ? string.Empty : $", leave the navigation propert{(navigations.Count == 1 ? "y" : "ies")} {string.Join(" and ", navigations)} out with Ignore(...) (or delete {(navigations.Count == 1 ? "it" : "them")})")
            + $", and keep {keys} as {(foreignKeys.Distinct().Count() == 1 ? "a plain property" : "plain properties")} that you set once both rows exist.";
    }
}
