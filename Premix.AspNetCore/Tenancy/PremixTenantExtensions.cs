using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Premix.AspNetCore;

/// <summary>Names each request's tenant for Premix (docs/multi-tenancy.md).</summary>
public static class PremixTenantExtensions
{
    /// <summary>
    /// Registers an <see cref="ITenantResolver"/> (scoped) that reads the request's tenant where <paramref name="configure"/>
    /// says: <c>services.AddPremixTenantResolver(t =&gt; t.FromClaim("tenant_id").FromHeader("X-Tenant-Id"))</c>. Each
    /// request's unit of work and repositories then work on that tenant; a request that names none gets a
    /// <see cref="TenantRequiredException"/> when it first uses them.
    /// </summary>
    public static IServiceCollection AddPremixTenantResolver(this IServiceCollection services, Action<PremixTenantResolverOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddHttpContextAccessor();
        services.Configure(configure);
        services.AddScoped<ITenantResolver, HttpTenantResolver>();
        return services;
    }

    /// <summary>
    /// Makes the request's tenant ambient (<see cref="PremixTenant.BeginRequest"/>) while the rest of the pipeline runs, so raw
    /// statements on the <see cref="IPremix"/> singleton (which has no scope) reach it too, and a
    /// <see cref="PremixTenant.Begin"/> block naming another tenant inside the request is refused. Needs
    /// <see cref="AddPremixTenantResolver"/>; place it after authentication when the tenant comes from a claim.
    /// </summary>
    public static IApplicationBuilder UsePremixTenant(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(static async (HttpContext context, RequestDelegate next) =>
        {
            var tenant = context.RequestServices.GetRequiredService<ITenantResolver>().ResolveTenant();
            if (tenant is null)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            using (PremixTenant.BeginRequest(tenant))
            {
                await next(context).ConfigureAwait(false);
            }
        });
    }
}
