using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Premix.Tests.WebApp;

/// <summary>
/// Reports healthy when a query runs. It implements a type of the ASP.NET Core shared framework, as real applications'
/// classes do, so loading this assembly's types needs that framework.
/// </summary>
internal sealed class ShopHealthCheck(IPremix premix) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        _ = await premix.Raw("SELECT 1").ReadOnly().FetchAs<int>(cancellationToken).ConfigureAwait(false);
        return HealthCheckResult.Healthy();
    }
}
