using Microsoft.AspNetCore.Http;

namespace Premix.AspNetCore;

/// <summary>
/// Where a request names its tenant, tried in the order added; the first that names one wins. A claim comes from the
/// authenticated user and can be trusted; a header (or a route value, or the host) is whatever the client sent, so use it
/// only behind a gateway that sets it, or check it against the user's claims.
/// </summary>
public sealed class PremixTenantResolverOptions
{
    internal List<Func<HttpContext, string?>> Sources { get; } = [];

    /// <summary>Reads the tenant from the authenticated user's claim <paramref name="claimType"/> (for example <c>tenant_id</c>).</summary>
    public PremixTenantResolverOptions FromClaim(string claimType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claimType);
        return From(context => context.User.FindFirst(claimType)?.Value);
    }

    /// <summary>Reads the tenant from the request header <paramref name="headerName"/> (for example <c>X-Tenant-Id</c>).</summary>
    public PremixTenantResolverOptions FromHeader(string headerName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(headerName);
        return From(context => context.Request.Headers.TryGetValue(headerName, out var values) && values.Count == 1 ? values[0] : null);
    }

    /// <summary>Reads the tenant with <paramref name="source"/>: a route value, the host's first label, a lookup.</summary>
    public PremixTenantResolverOptions From(Func<HttpContext, string?> source)
    {
        Sources.Add(source ?? throw new ArgumentNullException(nameof(source)));
        return this;
    }
}
