using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Premix.Tests.Hosting;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tenancy;

/// <summary>What the tests of tables shared by every tenant check alike: readiness once such a table drifts from the model.</summary>
internal static class SharedTableDrift
{
    /// <summary>
    /// Adds a column the model does not map (<c>note</c>) to the shared table <paramref name="currencies"/> (its quoted,
    /// qualified name) through plain SQL, behind the host's Premix's back, and asserts that readiness then reports the
    /// failure status, saying the shared tables differ from the model and naming the column to drop, as one difference.
    /// Returns the readiness entry, for what a test checks besides.
    /// </summary>
    public static async Task<HealthReportEntry> AssertReadinessFailsOnAColumnAddedToTheSharedTableAsync(IHost host, Engine engine, string connectionString, string currencies)
    {
        await TenantSql.ExecuteAsync(engine, connectionString, $"ALTER TABLE {currencies} ADD COLUMN note VARCHAR(10) NULL");
        var changed = await HostedApp.ReadinessAsync(host);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed.Status, Is.EqualTo(HealthStatus.Unhealthy), changed.Description);
            Assert.That(changed.Description, Does.Contain("the shared tables differ from the model").And.Contain("drop column").And.Contain("currencies.note"));
            Assert.That(changed.Data["schemaDifferences"], Is.EqualTo(1), "the shared table once, in no tenant's check");
        }

        return changed;
    }
}
