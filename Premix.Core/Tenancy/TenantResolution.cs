namespace Premix.Tenancy;

/// <summary>
/// Which tenant a unit of work belongs to: the ambient tenant (<see cref="PremixTenant.Begin"/>) or the one the scope's
/// <see cref="ITenantResolver"/> names. Premix's units of work and Premix.Testing's fake resolve it here, the same way.
/// </summary>
internal static class TenantResolution
{
    /// <summary>
    /// The tenant of work in <paramref name="services"/>' scope (null: outside any scope). When both name one they must
    /// agree (the resolver's comes from the request's authentication, the ambient one from code that may act on a
    /// caller's input); when neither does, nothing may run (fail closed).
    /// </summary>
    /// <exception cref="TenantConflictException">The ambient tenant and the resolver's differ.</exception>
    /// <exception cref="TenantRequiredException">No tenant is named.</exception>
    public static string Resolve(IServiceProvider? services)
    {
        var ambient = PremixTenant.Current;
        var resolver = services?.GetService(typeof(ITenantResolver)) as ITenantResolver;
        var resolved = resolver?.ResolveTenant();
        if (!string.IsNullOrWhiteSpace(ambient) && !string.IsNullOrWhiteSpace(resolved) && !string.Equals(ambient, resolved, StringComparison.Ordinal))
        {
            throw new TenantConflictException("The ambient tenant (PremixTenant.Begin) differs from the tenant this scope's ITenantResolver named (the request's), so nothing may run: neither wins. Work for another tenant runs in a scope of its own whose resolver names no tenant (a background job), inside PremixTenant.Begin.");
        }

        var tenant = string.IsNullOrWhiteSpace(ambient) ? resolved : ambient;
        return !string.IsNullOrWhiteSpace(tenant) ? tenant : throw new TenantRequiredException(resolver is null
            ? "Premix is configured for tenants (UseTenants) and no tenant is set, so nothing may run: every statement would reach no tenant's data or the wrong one. Wrap the work in using (PremixTenant.Begin(tenantId)) { ... }, or register an ITenantResolver (Premix.AspNetCore: AddPremixTenantResolver) that names the request's tenant."
            : "Premix is configured for tenants (UseTenants) and the ITenantResolver of this scope named no tenant (the request carries none), so nothing may run. Send the tenant the resolver reads (a header, a claim, the host), or wrap background work in using (PremixTenant.Begin(tenantId)) { ... }.");
    }
}
