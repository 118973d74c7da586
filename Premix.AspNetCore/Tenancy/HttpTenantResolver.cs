using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Premix.AspNetCore;

/// <summary>The request's tenant, read by the sources of <see cref="PremixTenantResolverOptions"/>, once per scope (request).</summary>
internal sealed class HttpTenantResolver(IHttpContextAccessor http, IOptions<PremixTenantResolverOptions> options) : ITenantResolver
{
    private bool _resolved;
    private string? _tenant;

    public string? ResolveTenant()
    {
        if (!_resolved)
        {
            _tenant = Resolve(http.HttpContext, options.Value);
            _resolved = true;
        }

        return _tenant;
    }

    internal static string? Resolve(HttpContext? context, PremixTenantResolverOptions options)
    {
        if (context is null)
        {
            return null; // outside a request: background work names its tenant with PremixTenant.Begin
        }

        foreach (var source in options.Sources)
        {
            if (source(context) is { } tenant && !string.IsNullOrWhiteSpace(tenant))
            {
                return tenant;
            }
        }

        return null;
    }
}
