using System.Linq.Expressions;

namespace Premix.Mapping;

/// <summary>
/// A named global query filter (<c>HasQueryFilter</c>): a predicate every read and bulk statement of the entity adds to its
/// <c>WHERE</c>, unless the query lifts it by name.
/// </summary>
public sealed class QueryFilterModel
{
    /// <summary>The name under which soft delete (<c>SoftDelete(...)</c>) is a filter: <c>IgnoreQueryFilter("soft-delete")</c> lifts it, as <c>WithDeleted()</c> does.</summary>
    public const string SoftDeleteName = "soft-delete";

    /// <summary>
    /// The name of the tenant column's filter (<c>HasTenantColumn</c>): reserved, and lifted only by <c>AcrossTenants()</c>,
    /// never by <c>IgnoreQueryFilter</c> or <c>IgnoreQueryFilters()</c>.
    /// </summary>
    public const string TenantName = "tenant";

    internal QueryFilterModel(string name, LambdaExpression predicate, bool liftsOnlyExplicitly, System.Reflection.PropertyInfo? tenantProperty = null)
    {
        Name = name;
        Predicate = predicate;
        LiftsOnlyExplicitly = liftsOnlyExplicitly;
        TenantProperty = tenantProperty;
    }

    /// <summary>The name a query lifts the filter by; unique within the entity.</summary>
    public string Name { get; }

    /// <summary>The predicate, over the entity (<c>x =&gt; x.IsActive</c>); its captured values are read on every query.</summary>
    public LambdaExpression Predicate { get; }

    /// <summary>
    /// Whether only a query naming this filter (<c>IgnoreQueryFilter(name)</c>) lifts it, never a blanket
    /// <c>IgnoreQueryFilters()</c>: for filters whose absence would leak rows, such as a tenant's.
    /// </summary>
    public bool LiftsOnlyExplicitly { get; }

    /// <summary>For the tenant column's filter (<c>HasTenantColumn</c>), the property holding the tenant; <see langword="null"/> for any other filter.</summary>
    public System.Reflection.PropertyInfo? TenantProperty { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Predicate}";
}
