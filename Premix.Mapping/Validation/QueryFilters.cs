namespace Premix.Mapping;

/// <summary>The named query filters of an entity, checked: names unique within it and not soft delete's own.</summary>
internal static class QueryFilters
{
    /// <summary>A query can lift this many filters of one entity by name (a bit each in the query's shape).</summary>
    public const int Limit = 63;

    /// <summary>The filters <paramref name="root"/> (the base of a hierarchy) declares; problems go to <paramref name="problems"/> when given.</summary>
    public static QueryFilterModel[] Of(EntityDraft root, List<MappingProblem>? problems)
    {
        var filters = root.QueryFilters.Select(f => new QueryFilterModel(f.Name, f.Predicate, f.LiftsOnlyExplicitly, f.TenantProperty)).ToArray();
        if (problems is null)
        {
            return filters;
        }

        var entity = root.ClrType.Name;
        foreach (var filter in filters.Where(f => string.Equals(f.Name, QueryFilterModel.SoftDeleteName, StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add(new MappingProblem(entity, null, $"declares HasQueryFilter(\"{filter.Name}\", ...), but \"{QueryFilterModel.SoftDeleteName}\" is the name of soft delete's filter.", "Give the filter another name, or declare soft delete with SoftDelete(x => x.DeletedAt)."));
        }

        foreach (var filter in filters.Where(f => f.TenantProperty is null && string.Equals(f.Name, QueryFilterModel.TenantName, StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add(new MappingProblem(entity, null, $"declares HasQueryFilter(\"{filter.Name}\", ...), but \"{QueryFilterModel.TenantName}\" is the name of the tenant column's filter.", "Give the filter another name, or declare the tenant column with HasTenantColumn(x => x.TenantId)."));
        }

        foreach (var group in filters.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            problems.Add(new MappingProblem(entity, null, $"declares {group.Count()} query filters named \"{group.Key}\" ({string.Join("; ", group.Select(f => f.Predicate))}); a query lifts a filter by its name, so names are unique within an entity (ignoring case).", "Rename all but one, or combine their predicates with &&."));
        }

        if (filters.Length > Limit)
        {
            problems.Add(new MappingProblem(entity, null, $"declares {filters.Length} query filters; an entity has at most {Limit}.", "Combine predicates that are always lifted together into one filter."));
        }

        return filters;
    }
}
