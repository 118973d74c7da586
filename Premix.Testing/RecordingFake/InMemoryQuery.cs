using Premix.Plans;
using Premix.Querying;

namespace Premix.Testing;

/// <summary>What the SQL of a <see cref="Query{T}"/> selects, computed over rows in memory: visibility of soft-deleted rows, filters, ordering, paging.</summary>
internal static class InMemoryQuery
{
    /// <summary>The rows of <paramref name="rows"/> (in insertion order) that the query returns, in its order.</summary>
    /// <param name="plan">The queried entity.</param>
    /// <param name="options">How text compares and NULLs sort.</param>
    /// <param name="rows">Every stored row of the entity.</param>
    /// <param name="model">The query.</param>
    /// <param name="operation">Count and bulk statements ignore what their SQL ignores (EXISTS and bulk statements have no paging).</param>
    /// <param name="tenant">The unit of work's tenant, which the tenant column's filter binds.</param>
    /// <param name="take">The model's Take replaced (First's 1 row, Single's 2), or null for the model's.</param>
    /// <exception cref="TenantRequiredException">The entity has a tenant column, the query does not lift its filter, and there is no tenant.</exception>
    public static List<object> Select(EntityPlan plan, FakeOptions options, IEnumerable<object> rows, QueryModel model, QueryOperation operation, string? tenant, int? take = null)
    {
        var active = plan.Filters.IsEmpty && model.LiftedFilters.Length == 0 ? 0 : plan.Filters.Active(plan, model);
        var required = FakeTenancy.Required(plan, active, tenant); // before any row is read, as before any SQL is sent
        var visibility = operation == QueryOperation.HardDelete ? DeletedRows.Included : model.Deleted;
        IEnumerable<object> selected = rows.Where(row => visibility switch
        {
            _ when plan.Entity.SoftDeleteMarker is null => true,
            DeletedRows.Included => true,
            DeletedRows.Only => IsSoftDeleted(plan, row),
            _ => !IsSoftDeleted(plan, row),
        });
        // The tenant filter's predicate compares the column with a value bound from the unit of work: kept here by FakeTenancy.
        foreach (var filter in active == 0 ? model.Filters : model.Filters.Concat(plan.Filters.Predicates(active & ~FakeTenancy.Bit(plan))))
        {
            var predicate = new InMemoryFilter(plan, options, filter);
            selected = selected.Where(predicate.Keeps);
        }

        if (required is not null)
        {
            selected = selected.Where(row => FakeTenancy.Keeps(plan, row, required));
        }

        if (operation is QueryOperation.Any or QueryOperation.Delete or QueryOperation.HardDelete or QueryOperation.Update)
        {
            return selected.ToList();
        }

        if (model.Orderings.Length > 0)
        {
            var keys = model.Orderings.Select(o => (Column: new InMemoryColumns(plan, o.Key).Find(o.Key.Body)!, o.Descending)).ToArray();
            selected = selected.Order(Comparer<object>.Create((a, b) =>
            {
                foreach (var (column, descending) in keys)
                {
                    var order = CompareWithNulls(column.ReadStored(a), column.ReadStored(b), options);
                    if (order != 0)
                    {
                        return descending ? -order : order;
                    }
                }

                return 0; // ties keep insertion order (LINQ's sort is stable); a database promises no order for them
            }));
        }

        if (model.Skip is { } skip)
        {
            selected = selected.Skip(skip);
        }

        if ((take ?? model.Take) is { } taken)
        {
            selected = selected.Take(taken);
        }

        return selected.ToList();
    }

    /// <summary>
    /// Whether a statement of fixed text (get-by-key, Include) sees the row: not soft-deleted, and kept by every named query
    /// filter, the tenant's included (<paramref name="requiredTenant"/>: <see cref="FakeTenancy.Required"/> of all filters).
    /// </summary>
    public static bool IsVisible(EntityPlan plan, FakeOptions options, object row, string? requiredTenant) =>
        (plan.Entity.SoftDeleteMarker is null || !IsSoftDeleted(plan, row))
        && FakeTenancy.Keeps(plan, row, requiredTenant)
        && plan.Filters.Predicates(plan.Filters.All & ~FakeTenancy.Bit(plan)).All(predicate => new InMemoryFilter(plan, options, predicate).Keeps(row));

    /// <summary>Whether the row's soft-delete marker says deleted: true, or a deletion time.</summary>
    public static bool IsSoftDeleted(EntityPlan plan, object row) =>
        plan.Entity.SoftDeleteMarker!.Property.GetValue(row) is { } marker && marker is not false;

    private static int CompareWithNulls(object? a, object? b, FakeOptions options) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => options.NullsFirst ? -1 : 1,
        (_, null) => options.NullsFirst ? 1 : -1,
        _ => InMemoryValues.Compare(a, b, options.TextComparer),
    };
}
