using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Premix.Migrations;
using Premix.Tests.Infrastructure;
using Premix.Tests.Tenancy;

namespace Premix.Tests.Hosting;

/// <summary>
/// Readiness under a schema per tenant compares the tables mapped to a schema of their own (shared by every tenant, synced
/// once before the tenants) with the model: a shared table changed after start through plain SQL makes readiness report
/// the failure status, naming the table and the difference. PostgreSQL and MariaDB: SQLite has no schemas, and a schema
/// per tenant is refused there at startup (<see cref="SchemaPerTenantSqliteTests"/>).
/// </summary>
[TestFixtureSource(typeof(ProviderTest), nameof(ServerEngines))]
public sealed class SharedTableReadinessTests(Engine engine) : ProviderTest(engine)
{
    private static readonly string[] Tenants = ["t1", "t2"];

    // On MariaDB a schema is a database on the server: named after the fixture's, so parallel fixtures never meet.
    private string Schema(string name) => Engine == Engine.MySql ? $"{DatabaseName}_{name}" : "ready_" + name;

    [Test]
    public async Task A_shared_table_changed_after_start_makes_readiness_report_the_table_and_the_difference()
    {
        var shared = Schema("shared");
        var quoted = Provider.Dialect.QuoteIdentifier(shared);
        var currencies = $"{quoted}.{Provider.Dialect.QuoteIdentifier("currencies")}";
        await TenantSql.ExecuteAsync(Engine, ConnectionString, Engine == Engine.MySql ? $"CREATE DATABASE {quoted} CHARACTER SET utf8mb4" : $"CREATE SCHEMA {quoted}");
        try
        {
            using var host = await HostedApp.StartWithHealthChecksAsync(Engine, ConnectionString, p => p.AddModelConfiguration<CustomerMap>().AddModelConfiguration(new SharedCurrencyMap(shared))
                .UseTenants(t => t.SchemaPerTenant(Schema).ListTenantsWith(Tenants)));
            (await host.Services.GetRequiredService<IPremix>().SyncAllTenantsAsync()).ThrowIfFailed(); // the shared table once, then each tenant's

            var ready = await ReadyAsync(host);
            Assert.That(ready.Status, Is.EqualTo(HealthStatus.Healthy), ready.Description);

            // A column the model does not map, added behind Premix's back.
            await TenantSql.ExecuteAsync(Engine, ConnectionString, $"ALTER TABLE {currencies} ADD COLUMN note VARCHAR(10) NULL");
            var added = await ReadyAsync(host);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(added.Status, Is.EqualTo(HealthStatus.Unhealthy), added.Description);
                Assert.That(added.Description, Does.Contain("the shared tables differ from the model").And.Contain("drop column").And.Contain("currencies.note"));
                Assert.That(added.Data["schemaDifferences"], Is.EqualTo(1));
            }

            // And a mapped column dropped.
            await TenantSql.ExecuteAsync(Engine, ConnectionString, $"ALTER TABLE {currencies} DROP COLUMN {Provider.Dialect.QuoteIdentifier("Name")}");
            var dropped = await ReadyAsync(host);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(dropped.Status, Is.EqualTo(HealthStatus.Unhealthy), dropped.Description);
                Assert.That(dropped.Description, Does.Contain("add column").And.Contain("currencies.Name").And.Contain("currencies.note"));
                Assert.That(dropped.Data["schemaDifferences"], Is.EqualTo(2));
                Assert.That(dropped.Description, Does.Not.Contain(Schema("t1")).And.Not.Contain(Schema("t2")), "no tenant is named");
            }
        }
        finally
        {
            var drops = Engine == Engine.MySql
                ? Tenants.Select(Schema).Append(shared).Select(s => $"DROP DATABASE IF EXISTS {Provider.Dialect.QuoteIdentifier(s)}")
                : [$"DROP SCHEMA IF EXISTS {quoted} CASCADE"]; // the tenants' schemas go with the fixture's database
            await TenantSql.ExecuteAsync(Engine, ConnectionString, string.Join(";", drops));
        }
    }

    private static async Task<HealthReportEntry> ReadyAsync(Microsoft.Extensions.Hosting.IHost host) =>
        (await HostedApp.CheckHealthAsync(host, "ready")).Entries["premix-main-ready"];
}
