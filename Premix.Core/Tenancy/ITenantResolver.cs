namespace Premix;

/// <summary>
/// Names the tenant of the current dependency-injection scope (a web request: from a header, a claim, the host): Premix
/// asks it once per scope, when the scope's unit of work is created. An ambient tenant (<see cref="PremixTenant.Begin"/>)
/// wins over it. Register one as a scoped or singleton service; Premix.AspNetCore offers one that reads the request.
/// </summary>
public interface ITenantResolver
{
    /// <summary>The tenant's identifier, or <see langword="null"/> when the scope has none (Premix then refuses to run any statement).</summary>
    string? ResolveTenant();
}
