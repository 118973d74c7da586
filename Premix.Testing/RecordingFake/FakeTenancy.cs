using Premix.Mapping;
using Premix.Plans;

namespace Premix.Testing;

/// <summary>
/// The tenant column (<c>HasTenantColumn</c>) in the fake, as Premix binds it: the tenant filter keeps a read to the
/// unit of work's tenant unless the query lifts it with <c>AcrossTenants()</c>, and a read without a tenant fails closed
/// with the same <see cref="TenantRequiredException"/>.
/// </summary>
internal static class FakeTenancy
{
    /// <summary>The bit of the tenant filter among the entity's named filters; 0 when its table is not shared by tenants.</summary>
    public static ulong Bit(EntityPlan plan) =>
        plan.Filters.TenantProperty is null ? 0 : 1UL << plan.Filters.IndexOf(plan, QueryFilterModel.TenantName);

    /// <summary>
    /// The tenant the rows must hold when <paramref name="active"/> applies the tenant filter, or null when it does not
    /// (no tenant column, or lifted).
    /// </summary>
    /// <exception cref="TenantRequiredException">The filter applies and the unit of work has no tenant: nothing is read.</exception>
    public static string? Required(EntityPlan plan, ulong active, string? tenant) =>
        (active & Bit(plan)) == 0 ? null : tenant ?? throw plan.Filters.NoTenant();

    /// <summary>Whether <paramref name="row"/> is kept by the tenant filter: it holds <paramref name="required"/>, or no tenant is required.</summary>
    public static bool Keeps(EntityPlan plan, object row, string? required) =>
        required is null || string.Equals(plan.GetTenant!(row) as string, required, StringComparison.Ordinal);
}
