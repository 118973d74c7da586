namespace Premix.Mapping;

/// <summary>Refines a filter declared by <see cref="EntityBuilder{T}.HasQueryFilter"/>.</summary>
public sealed class QueryFilterBuilder
{
    private readonly QueryFilterDraft _draft;

    internal QueryFilterBuilder(QueryFilterDraft draft) => _draft = draft;

    /// <summary>
    /// Only a query that names this filter (<c>IgnoreQueryFilter(name)</c>) lifts it; a blanket <c>IgnoreQueryFilters()</c>
    /// leaves it in place. Use it for filters whose absence would leak rows (a tenant's), so lifting them is always a visible call.
    /// </summary>
    public QueryFilterBuilder LiftOnlyExplicitly()
    {
        _draft.LiftsOnlyExplicitly = true;
        return this;
    }
}

/// <summary>A filter as declared with <c>HasQueryFilter</c>.</summary>
internal sealed class QueryFilterDraft(string name, System.Linq.Expressions.LambdaExpression predicate)
{
    public string Name { get; } = name;

    public System.Linq.Expressions.LambdaExpression Predicate { get; } = predicate;

    public bool LiftsOnlyExplicitly { get; set; }

    /// <summary>The tenant property, for the filter <c>HasTenantColumn</c> declares.</summary>
    public System.Reflection.PropertyInfo? TenantProperty { get; init; }
}
