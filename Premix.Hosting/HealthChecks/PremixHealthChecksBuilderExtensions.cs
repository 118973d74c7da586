using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Premix;

/// <summary>Adds Premix's health checks: a liveness and a readiness check per registered database (docs/aspnetcore.md).</summary>
public static class PremixHealthChecksBuilderExtensions
{
    /// <summary>The tag of the liveness checks: <c>app.MapHealthChecks("/health/live", new() { Predicate = c =&gt; c.Tags.Contains("live") })</c>.</summary>
    public const string LiveTag = "live";

    /// <summary>The tag of the readiness checks.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Adds, for every database registered with <c>AddPremix</c> or <c>AddKeyedPremix</c> (before or after this call), a
    /// liveness check <c>premix-{name}-live</c> (a connection opens and <c>SELECT 1</c> answers; tags <c>live</c> and
    /// <c>premix</c>) and a readiness check <c>premix-{name}-ready</c> (the schema matches the model; pending migrations
    /// Degraded; tags <c>ready</c> and <c>premix</c>). The default database of <c>services.AddPremix</c>, which has no name,
    /// gets <c>premix-live</c> and <c>premix-ready</c>.
    /// </summary>
    /// <exception cref="NotSupportedException">Under native AOT, <see cref="PremixHealthCheckOptions.CheckSchema"/> is on (the default).</exception>
    public static IHealthChecksBuilder AddPremixHealthChecks(this IHealthChecksBuilder builder, Action<PremixHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new PremixHealthCheckOptions();
        configure?.Invoke(options);
        if (options.CheckSchema && !RuntimeFeature.IsDynamicCodeSupported)
        {
            // Refused at startup rather than reporting a healthy schema Unhealthy on every probe.
            throw new NotSupportedException(
                "AddPremixHealthChecks: the readiness check's schema comparison reads the catalog with Dapper's mappers, code generated at run time, which native AOT cannot run. "
                + "Call AddPremixHealthChecks(o => o.CheckSchema = false) (liveness, and readiness from CheckMigrations) and compare the schema with premix diff from the JIT tool (docs/aot.md).");
        }

        // Read the databases when the health-check service is built, so the order of AddPremix and this call does not matter.
        builder.Services.AddOptions<HealthCheckServiceOptions>().Configure<IEnumerable<PremixDatabaseEntry>>((checks, databases) =>
        {
            foreach (var database in databases)
            {
                var prefix = database.Name is null ? "premix" : $"premix-{database.Name}";
                checks.Registrations.Add(new HealthCheckRegistration(
                    prefix + "-" + LiveTag, sp => new PremixLiveHealthCheck(sp, database), HealthStatus.Unhealthy, [LiveTag, "premix"], options.LiveTimeout));
                var migrations = options.MigrationsOf(database);
                checks.Registrations.Add(new HealthCheckRegistration(
                    prefix + "-" + ReadyTag, sp => new PremixReadyHealthCheck(sp, database, migrations, options.CheckSchema), HealthStatus.Unhealthy, [ReadyTag, "premix"], options.ReadyTimeout));
            }
        });
        return builder;
    }
}
