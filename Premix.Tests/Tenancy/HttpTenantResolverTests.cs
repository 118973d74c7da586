using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Premix.AspNetCore;

namespace Premix.Tests.Tenancy;

/// <summary>The request's tenant as <c>AddPremixTenantResolver</c> reads it: sources in order, once per scope, none outside a request.</summary>
public sealed class HttpTenantResolverTests
{
    [Test]
    public void The_claim_wins_over_the_header_when_both_name_a_tenant()
    {
        var context = Request(claim: "acme", header: "globex");

        Assert.That(Resolve(context, t => t.FromClaim("tenant_id").FromHeader("X-Tenant-Id")), Is.EqualTo("acme"));
    }

    [Test]
    public void The_header_names_the_tenant_when_the_user_has_no_claim()
    {
        var context = Request(claim: null, header: "globex");

        Assert.That(Resolve(context, t => t.FromClaim("tenant_id").FromHeader("X-Tenant-Id")), Is.EqualTo("globex"));
    }

    [Test]
    public void A_request_that_names_no_tenant_and_work_outside_a_request_resolve_none()
    {
        Assert.That(Resolve(Request(claim: null, header: null), t => t.FromClaim("tenant_id").FromHeader("X-Tenant-Id")), Is.Null);
        Assert.That(Resolve(null, t => t.FromHeader("X-Tenant-Id")), Is.Null);
    }

    [Test]
    public void Two_values_of_the_tenant_header_name_no_tenant()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Tenant-Id"] = new Microsoft.Extensions.Primitives.StringValues(["acme", "globex"]);

        Assert.That(Resolve(context, t => t.FromHeader("X-Tenant-Id")), Is.Null);
    }

    [Test]
    public void Inside_a_request_a_block_naming_another_tenant_is_refused_and_one_naming_the_same_tenant_is_not()
    {
        using (PremixTenant.BeginRequest("acme"))
        {
            Assert.That(() => PremixTenant.Begin("globex"), Throws.TypeOf<TenantConflictException>().With.Message.Not.Contains("globex").And.Message.Not.Contains("acme"));
            Assert.That(PremixTenant.Current, Is.EqualTo("acme"), "the refused block changed nothing");
            using (PremixTenant.Begin("acme"))
            {
                Assert.That(PremixTenant.Current, Is.EqualTo("acme"));
            }
        }

        Assert.That(PremixTenant.Current, Is.Null);
        using (PremixTenant.Begin("globex"))
        {
            Assert.That(PremixTenant.Current, Is.EqualTo("globex"), "outside the request any tenant may be named");
        }
    }

    [Test]
    public void Inside_a_request_beginning_a_request_for_another_tenant_is_refused_and_leaves_the_pin()
    {
        using (PremixTenant.BeginRequest("acme"))
        {
            Assert.That(() => PremixTenant.BeginRequest("globex"), Throws.TypeOf<TenantConflictException>().With.Message.Not.Contains("globex").And.Message.Not.Contains("acme"));
            Assert.That(PremixTenant.Current, Is.EqualTo("acme"), "the refused call changed nothing");
            Assert.That(() => PremixTenant.Begin("globex"), Throws.TypeOf<TenantConflictException>(), "the request is still pinned to acme");
            using (PremixTenant.BeginRequest("acme"))
            {
                Assert.That(PremixTenant.Current, Is.EqualTo("acme"), "the same tenant may nest");
            }
        }

        using (PremixTenant.Begin("acme"))
        {
            Assert.That(() => PremixTenant.BeginRequest("globex"), Throws.TypeOf<TenantConflictException>(), "inside a Begin block for another tenant");
        }

        Assert.That(PremixTenant.Current, Is.Null);
    }

    private static DefaultHttpContext Request(string? claim, string? header)
    {
        var context = new DefaultHttpContext();
        if (claim is not null)
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("tenant_id", claim)], "test"));
        }

        if (header is not null)
        {
            context.Request.Headers["X-Tenant-Id"] = header;
        }

        return context;
    }

    private static string? Resolve(HttpContext? context, Action<PremixTenantResolverOptions> configure)
    {
        var services = new ServiceCollection().AddPremixTenantResolver(configure);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IHttpContextAccessor>().HttpContext = context;
        using var scope = provider.CreateScope();
        return scope.ServiceProvider.GetRequiredService<ITenantResolver>().ResolveTenant();
    }
}
