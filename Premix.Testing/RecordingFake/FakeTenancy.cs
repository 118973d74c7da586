using Premix.Plans;

namespace Premix.Testing;

/// <summary>
/// The fake's limit with tenants: it does not bind a unit of work's tenant, so an entity with a tenant column
/// (<c>HasTenantColumn</c>) is refused wherever the fake would read or write it, rather than show or write every
/// tenant's rows.
/// </summary>
internal static class FakeTenancy
{
    /// <summary>Refuses <paramref name="plan"/> when its table is shared by tenants.</summary>
    /// <exception cref="NotSupportedException">It is.</exception>
    public static EntityPlan Refuse(EntityPlan plan)
    {
        if (plan.Filters.TenantProperty is { } tenant)
        {
            throw new NotSupportedException(
                $"Premix.Testing's in-memory fake does not bind tenants: {plan.Entity.Name} has a tenant column ({tenant.DeclaringType?.Name}.{tenant.Name}, HasTenantColumn), "
                + "whose rows the fake would neither keep to the unit of work's tenant nor stamp on insert, so it refuses the entity instead. "
                + "Test tenant-column entities against a real database: an InMemoryTestDatabase (SQLite) or a test scope on your engine, with UseTenants(t => t.TenantColumn()) and PremixTenant.Begin.");
        }

        return plan;
    }
}
