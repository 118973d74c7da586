using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Premix.Migrations;
using Premix.Tests.Infrastructure;
using Premix.Tests.Tenancy;

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
    public async Task With_CheckSchema_off_a_missing_table_leaves_the_database_ready_and_a_pending_migration_still_degrades_it()
    {
        _migrations = Directory.CreateTempSubdirectory("premix-health-").FullName;
        await File.WriteAllTextAsync(Path.Combine(_migrations, "20260101000000_seed.sql"), "-- +premix Up\nSELECT 1;\n");
        using var host = await StartAsync(ConnectionString, p => p.AddModelConfiguration<CustomerMap>().AddModelConfiguration<GadgetMap>(), o =>
        {
            o.CheckSchema = false;
            o.CheckMigrations(_migrations, "main");
        });
        await using (var connection = await OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"DROP TABLE IF EXISTS {Provider.Dialect.QuoteIdentifier("gadgets")}");
        }

        var ready = (await CheckAsync(host, "ready")).Entries["premix-main-ready"];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ready.Status, Is.EqualTo(HealthStatus.Degraded), ready.Description);
            Assert.That(ready.Description, Does.Contain("20260101000000_seed").And.Not.Contain("gadgets"), "the schema was not compared");
            Assert.That(ready.Data["schemaDifferences"], Is.Zero);
        }
    }

    [Test]
    public async Task With_CheckSchema_off_and_no_migrations_an_unreachable_server_or_on_SQLite_a_file_in_a_missing_folder_is_not_ready()
    {
        using var host = await StartAsync(HostedApp.Unreachable(Engine, ConnectionString), p => p.AddModelConfiguration<CustomerMap>(), o => o.CheckSchema = false);

        var ready = (await CheckAsync(host, "ready")).Entries["premix-main-ready"];

        Assert.That(ready.Status, Is.EqualTo(HealthStatus.Unhealthy), ready.Description);
        Assert.That(ready.Description, Does.Contain("readiness").And.Contain("could not be checked"));
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
    public async Task Under_UseTenants_readiness_checks_the_open_tenants_databases_not_the_configured_one_and_one_broken_tenant_only_degrades()
    {
        var catalog = await IsolatedDatabase.CreateAsync(Engine); // the configured database: empty, no table of the model
        var acme = await IsolatedDatabase.CreateAsync(Engine);
        var globex = await IsolatedDatabase.CreateAsync(Engine);
        try
        {
            using (var host = await StartAsync(catalog.ConnectionString, p => p.AddModelConfiguration<CustomerMap>().AddModelConfiguration<GadgetMap>()
                .UseTenants(t => t.DatabasePerTenant(tenant => tenant switch { "acme" => acme.ConnectionString, "globex" => globex.ConnectionString, _ => null }).ListTenantsWith(["acme", "globex"]))))
            {
                (await host.Services.GetRequiredService<IPremix>().SyncAllTenantsAsync()).ThrowIfFailed(); // leaves both tenants open

                var ready = (await CheckAsync(host, "ready")).Entries["premix-main-ready"];
                Assert.That(ready.Status, Is.EqualTo(HealthStatus.Healthy), ready.Description);
                Assert.That(ready.Data["tenantsChecked"], Is.EqualTo(2));

                // Only acme's database loses the table: readiness must be reading it, not the configured one (which has none).
                await TenantSql.ExecuteAsync(Engine, acme.ConnectionString, $"DROP TABLE {Provider.Dialect.QuoteIdentifier("gadgets")}");
                var one = (await CheckAsync(host, "ready")).Entries["premix-main-ready"];
                using (Assert.EnterMultipleScope())
                {
                    Assert.That(one.Status, Is.EqualTo(HealthStatus.Degraded), "one broken tenant of two keeps the instance in service");
                    Assert.That(one.Data["tenantsNotReady"], Is.EqualTo(1));
                    Assert.That(one.Description, Does.Contain("gadgets").And.Not.Contain("acme").And.Not.Contain("globex").And.Not.Contain(acme.Name));
                }

                await TenantSql.ExecuteAsync(Engine, globex.ConnectionString, $"DROP TABLE {Provider.Dialect.QuoteIdentifier("gadgets")}");
                var all = (await CheckAsync(host, "ready")).Entries["premix-main-ready"];
                Assert.That(all.Status, Is.EqualTo(HealthStatus.Unhealthy), "no open tenant is ready");
                Assert.That(all.Data["tenantsNotReady"], Is.EqualTo(2));
            }
        }
        finally
        {
            foreach (var database in new[] { catalog, acme, globex })
            {
                await using var connection = TenantSql.Connection(Engine, database.ConnectionString);
                await database.DropAsync(connection);
            }
        }
    }

    [Test]
    public async Task Under_UseTenants_a_busy_bound_does_not_make_readiness_fail_and_the_probe_opens_no_tenant()
    {
        var acme = await IsolatedDatabase.CreateAsync(Engine);
        var globex = await IsolatedDatabase.CreateAsync(Engine);
        try
        {
            using (var host = await StartAsync(ConnectionString, p => p.AddModelConfiguration<CustomerMap>()
                .UseTenants(t => t.DatabasePerTenant(tenant => tenant switch { "acme" => acme.ConnectionString, "globex" => globex.ConnectionString, _ => null }).ListTenantsWith(["acme", "globex"]).MaxOpenDatabases = 1)))
            {
                var premix = host.Services.GetRequiredService<IPremix>();
                await using (var tenant = ((PremixDatabase)premix).ForTenant("acme"))
                {
                    await tenant.SyncAsync();
                }

                using (PremixTenant.Begin("acme"))
                {
                    await using var held = premix.BeginUnitOfWork(); // acme holds the only slot

                    var ready = (await CheckAsync(host, "ready")).Entries["premix-main-ready"];

                    Assert.That(ready.Status, Is.EqualTo(HealthStatus.Healthy), ready.Description);
                    Assert.That(ready.Data["tenantsChecked"], Is.EqualTo(1));
                    Assert.That(((PremixDatabase)premix).Tenants!.OpenCount, Is.EqualTo(1), "the probe opened no other tenant");
                }
            }
        }
        finally
        {
            foreach (var database in new[] { acme, globex })
            {
                await using var connection = TenantSql.Connection(Engine, database.ConnectionString);
                await database.DropAsync(connection);
            }
        }
    }

    private Task<IHost> StartAsync(string connectionString, Action<PremixOptionsBuilder> configure, Action<PremixHealthCheckOptions>? checks = null) =>
        HostedApp.StartWithHealthChecksAsync(Engine, connectionString, configure, checks);

    private static Task<HealthReport> CheckAsync(IHost host, string? tag = null) => HostedApp.CheckHealthAsync(host, tag);
}
