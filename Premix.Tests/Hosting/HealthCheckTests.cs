using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Hosting;

/// <summary>
/// AddPremixHealthChecks: per database, "live" (a connection opens and SELECT 1 answers) and "ready" (the schema matches
/// the model; pending migrations Degraded), told apart by tags as /health/live and /health/ready map them.
/// </summary>
public sealed class HealthCheckTests(Engine engine) : ProviderTest(engine)
{
    private string? _migrations;

    [TearDown]
    public void DeleteMigrations()
    {
        if (_migrations is not null)
        {
            Directory.Delete(_migrations, recursive: true);
            _migrations = null;
        }
    }

    [Test]
    public async Task A_database_matching_its_model_is_live_and_ready()
    {
        using var host = await StartAsync(ConnectionString, p => p.AddModelConfiguration<CustomerMap>());
        await host.Services.GetRequiredService<IPremix>().SyncAsync();

        var report = await CheckAsync(host);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Entries["premix-main-live"].Status, Is.EqualTo(HealthStatus.Healthy), report.Entries["premix-main-live"].Description);
            Assert.That(report.Entries["premix-main-ready"].Status, Is.EqualTo(HealthStatus.Healthy), report.Entries["premix-main-ready"].Description);
            Assert.That(report.Entries["premix-main-live"].Tags, Does.Contain("live"));
            Assert.That(report.Entries["premix-main-ready"].Tags, Does.Contain("ready"));
        }
    }

    [Test]
    public async Task An_unreachable_server_or_on_SQLite_a_file_in_a_missing_folder_is_not_live()
    {
        using var host = await StartAsync(HostedApp.Unreachable(Engine, ConnectionString), p => p.AddModelConfiguration<CustomerMap>());

        var live = await CheckAsync(host, "live");

        Assert.That(live.Entries["premix-main-live"].Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(live.Entries["premix-main-live"].Description, Does.Contain("does not answer"));
        Assert.That(live.Entries.Keys, Is.EquivalentTo(new[] { "premix-main-live" }), "the live predicate leaves the readiness check out");
    }

    [Test]
    public async Task A_missing_table_leaves_the_database_live_but_not_ready()
    {
        using var host = await StartAsync(ConnectionString, p => p.AddModelConfiguration<CustomerMap>().AddModelConfiguration<GadgetMap>());
        await host.Services.GetRequiredService<IPremix>().SyncAsync();
        await using (var connection = await OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"DROP TABLE {Provider.Dialect.QuoteIdentifier("gadgets")}");
        }

        var report = await CheckAsync(host);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Entries["premix-main-live"].Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(report.Entries["premix-main-ready"].Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(report.Entries["premix-main-ready"].Description, Does.Contain("gadgets"));
        }
    }

    [Test]
    public async Task A_pending_migration_over_a_matching_schema_is_Degraded_not_Unhealthy()
    {
        _migrations = Directory.CreateTempSubdirectory("premix-health-").FullName;
        await File.WriteAllTextAsync(Path.Combine(_migrations, "20260101000000_seed.sql"), "-- +premix Up\nSELECT 1;\n");
        using var host = await StartAsync(ConnectionString, p => p.AddModelConfiguration<CustomerMap>(), o => o.CheckMigrations(_migrations, "main"));
        await host.Services.GetRequiredService<IPremix>().SyncAsync();

        var ready = await CheckAsync(host, "ready");

        Assert.That(ready.Entries["premix-main-ready"].Status, Is.EqualTo(HealthStatus.Degraded), ready.Entries["premix-main-ready"].Description);
        Assert.That(ready.Entries["premix-main-ready"].Description, Does.Contain("20260101000000_seed"));
    }

    [Test]
    public async Task Under_UseTenants_readiness_checks_each_listed_tenants_database_not_the_configured_one()
    {
        using var host = await StartAsync(ConnectionString, p => p.AddModelConfiguration<CustomerMap>().AddModelConfiguration<GadgetMap>()
            .UseTenants(t => t.DatabasePerTenant(tenant => tenant == "acme" ? ConnectionString : null).ListTenantsWith(["acme"])));
        (await host.Services.GetRequiredService<IPremix>().SyncAllTenantsAsync()).ThrowIfFailed();

        var ready = await CheckAsync(host, "ready");
        Assert.That(ready.Entries["premix-main-ready"].Status, Is.EqualTo(HealthStatus.Healthy), ready.Entries["premix-main-ready"].Description);
        Assert.That(ready.Entries["premix-main-ready"].Description, Does.Contain("tenant acme"));

        await using (var connection = await OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"DROP TABLE {Provider.Dialect.QuoteIdentifier("gadgets")}");
        }

        var broken = await CheckAsync(host, "ready");
        Assert.That(broken.Entries["premix-main-ready"].Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(broken.Entries["premix-main-ready"].Description, Does.Contain("tenant acme").And.Contain("gadgets"));
    }

    private async Task<IHost> StartAsync(string connectionString, Action<PremixOptionsBuilder> configure, Action<PremixHealthCheckOptions>? checks = null)
    {
        var builder = HostedApp.Builder(new Dictionary<string, string?>
        {
            ["Premix:main:Provider"] = Engine.ToString(),
            ["ConnectionStrings:main"] = connectionString,
        });
        builder.Services.AddHealthChecks().AddPremixHealthChecks(checks); // before AddPremix: the order does not matter
        builder.AddPremix("main", configure);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static Task<HealthReport> CheckAsync(IHost host, string? tag = null) =>
        host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => tag is null || c.Tags.Contains(tag));
}
