namespace Premix;

/// <summary>
/// Names the tenant of the current dependency-injection scope (a web request: from a header, a claim, the host): Premix
/// asks it once per scope, when the scope's unit of work is created. When an ambient tenant (<see cref="PremixTenant.Begin"/>)
/// is set too, both must name the same tenant (<see cref="TenantConflictException"/> otherwise); when it names none, the
/// ambient tenant is used. Register one as a scoped or singleton service; Premix.AspNetCore offers one that reads the request.
/// </summary>
public interface ITenantResolver
{
    /// <summary>The tenant's identifier, or <see langword="null"/> when the scope has none (Premix then refuses to run any statement).</summary>
    string? ResolveTenant();
}
