using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MySqlConnector;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tenancy;

/// <summary>
/// MySQL/MariaDB only (a schema is a database on the server there; on PostgreSQL a schema lives inside each tenant's
/// database, so it is the tenant's own): under a database per tenant, a table mapped to a schema of its own is the one
/// table every tenant database on the server reaches. It is synced once, on the configured database, before the tenants
/// (many tenants syncing at once used to race to create it), every tenant reads and writes it, and a tenant database on
/// another server, which would reach a different table of that name, is refused.
/// </summary>
[TestFixtureSource(nameof(MariaDbOnly))]
public sealed class MySqlDatabasePerTenantSharedTableTests(Engine engine) : ProviderTest(engine)
{
    /// <summary>A schema is a database on the server only on MySQL and MariaDB.</summary>
    public static IEnumerable<Engine> MariaDbOnly { get; } = [Engine.MySql];

    private const int TenantCount = 6;
    private readonly Dictionary<string, IsolatedDatabase> _tenants = new(StringComparer.Ordinal);
    private string _shared = null!;

    [SetUp]
    public async Task CreateDatabasesAsync()
    {
        _shared = DatabaseName + "_shared";
        await TenantSql.ExecuteAsync(Engine, ConnectionString, $"CREATE DATABASE {Quote(_shared)} CHARACTER SET utf8mb4"); // empty: the sync makes its table
        for (var i = 0; i < TenantCount; i++)
        {
            _tenants["t" + i] = await IsolatedDatabase.CreateAsync(Engine); // empty: the sync makes the tenant's tables
        }
    }

    [TearDown]
    public async Task DropDatabasesAsync()
    {
        await TenantSql.ExecuteAsync(Engine, ConnectionString, $"DROP DATABASE IF EXISTS {Quote(_shared)}");
        foreach (var database in _tenants.Values)
        {
            await using var connection = TenantSql.Connection(Engine, database.ConnectionString);
            await database.DropAsync(connection);
        }
    }

    [Test]
    public async Task A_shared_schema_table_is_synced_once_while_six_tenants_sync_at_once_and_every_tenant_reads_and_writes_that_one_table()
    {
        await using var premix = CreatePremix(_tenants.ToDictionary(t => t.Key, t => t.Value.ConnectionString));

        var report = await premix.SyncAllTenantsAsync(run: new TenantRunOptions { MaxConcurrency = TenantCount });

        Assert.That(report.Failed.Select(f => f.TenantId + ": " + f.Error!.Message), Is.Empty, "no tenant failed");
        var everywhere = string.Join(", ", _tenants.Values.Select(d => $"'{d.Name}'").Append($"'{_shared}'"));
        Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, $"SELECT table_schema FROM information_schema.tables WHERE table_name = 'currencies' AND table_schema IN ({everywhere})"),
            Is.EqualTo(new[] { _shared }), "one currencies table, in the shared database, none in a tenant's");
        Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, $"SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'customers' AND table_schema IN ({everywhere})"),
            Is.EqualTo(new[] { TenantCount.ToString(System.Globalization.CultureInfo.InvariantCulture) }), "each tenant got its own customers");

        // Every tenant at once writes a currency and a customer of its own.
        await Task.WhenAll(_tenants.Keys.Select(tenant => Task.Run(async () =>
        {
            using (PremixTenant.Begin(tenant))
            {
                await using var uow = premix.BeginUnitOfWork();
                uow.Repository<SharedCurrency>().Add(new SharedCurrency { Code = tenant.ToUpperInvariant(), Name = "of " + tenant });
                uow.Repository<Customer>().Add(new Customer { Name = tenant });
                await uow.CommitAsync();
            }
        })));

        Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, $"SELECT code FROM {Quote(_shared)}.currencies ORDER BY code"),
            Is.EqualTo(_tenants.Keys.Select(t => t.ToUpperInvariant()).Order(StringComparer.Ordinal)), "every tenant wrote the one shared table");
        foreach (var (tenant, database) in _tenants)
        {
            Assert.That(await TenantSql.ColumnAsync(Engine, database.ConnectionString, "SELECT Name FROM customers"), Is.EqualTo(new[] { tenant }), "each tenant's customer in its own database");
        }

        using (PremixTenant.Begin("t0"))
        {
            await using var uow = premix.BeginUnitOfWork();
            Assert.That(await uow.Repository<SharedCurrency>().Query().CountAsync(), Is.EqualTo(TenantCount), "a tenant reads every tenant's shared rows");
        }
    }

    [Test]
    public async Task A_tenant_database_on_another_server_is_refused_when_the_model_has_a_shared_schema_table_and_nothing_reaches_it()
    {
        await using var relay = new TcpRelay("127.0.0.1", (int)new MySqlConnectionStringBuilder(ConnectionString).Port) { Recording = true };
        var elsewhere = new MySqlConnectionStringBuilder(_tenants["t1"].ConnectionString) { Server = "127.0.0.1", Port = (uint)relay.Port, SslMode = MySqlSslMode.None }.ConnectionString;
        await using var premix = CreatePremix(new Dictionary<string, string> { ["t0"] = _tenants["t0"].ConnectionString, ["t1"] = elsewhere });
        (await premix.SyncAllTenantsAsync(run: new TenantRunOptions { Tenants = ["t0"] })).ThrowIfFailed();

        using (PremixTenant.Begin("t1"))
        {
            var refused = Assert.Throws<InvalidOperationException>(() => premix.BeginUnitOfWork());
            Assert.That(refused!.Message, Does.Contain("on another server").And.Contain($"{_shared}.currencies").And.Contain("keep every tenant database on the configured server"));
        }

        var report = await premix.SyncAllTenantsAsync(run: new TenantRunOptions { Tenants = ["t1"] });
        Assert.That(report.Failed.Single().Error, Is.TypeOf<InvalidOperationException>(), "its sync is refused too");
        Assert.That(relay.Sent, Is.Empty, "nothing reached the tenant's server");
        Assert.That(await TenantSql.ColumnAsync(Engine, _tenants["t1"].ConnectionString, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"), Is.EqualTo(new[] { "0" }), "its database was not touched");

        using (PremixTenant.Begin("t0"))
        {
            await using var uow = premix.BeginUnitOfWork(); // the tenant on the configured server works
            Assert.That(await uow.Repository<SharedCurrency>().Query().CountAsync(), Is.Zero);
        }
    }

    [Test]
    public async Task Dropping_unmapped_tables_across_all_tenants_drops_none_of_the_configured_database_s_own_tables()
    {
        // The configured database is nobody's tenant under a database per tenant: its own table must survive the sync of
        // the shared tables, which reads it too (it is the connection's database). An unmapped table of the shared schema goes.
        await TenantSql.ExecuteAsync(Engine, ConnectionString, $"CREATE TABLE keep_me (id INT PRIMARY KEY); CREATE TABLE {Quote(_shared)}.stray (id INT PRIMARY KEY)");
        await using var premix = CreatePremix(_tenants.ToDictionary(t => t.Key, t => t.Value.ConnectionString));

        var report = await premix.SyncAllTenantsAsync(new SyncOptions { DropUnmappedTables = true, AllowDestructive = true }, new TenantRunOptions { Tenants = ["t0"] });

        Assert.That(report.Failed.Select(f => f.TenantId + ": " + f.Error!.Message), Is.Empty, "no tenant failed");
        Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"),
            Is.EqualTo(new[] { "keep_me" }), "the configured database's own table is kept");
        Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, $"SELECT table_name FROM information_schema.tables WHERE table_schema = '{_shared}'"),
            Is.EqualTo(new[] { "currencies" }), "the shared schema's unmapped table is dropped, its mapped one made");
    }

    [Test]
    public async Task Readiness_reports_a_shared_table_changed_after_start_once_and_no_tenant_s_check_lists_it()
    {
        var tenants = _tenants.ToDictionary(t => t.Key, t => t.Value.ConnectionString);
        using var host = await Hosting.HostedApp.StartWithHealthChecksAsync(Engine, ConnectionString, p => p
            .AddModelConfiguration(new SharedCurrencyMap(_shared)).AddModelConfiguration(new CustomerMap())
            .UseTenants(t => t.DatabasePerTenant(tenants)));
        var premix = host.Services.GetRequiredService<IPremix>();
        (await premix.SyncAllTenantsAsync(run: new TenantRunOptions { Tenants = ["t0", "t1"] })).ThrowIfFailed();
        foreach (var tenant in new[] { "t0", "t1" })
        {
            using (PremixTenant.Begin(tenant))
            {
                await using var uow = premix.BeginUnitOfWork(); // opens the tenant, so readiness checks it too
            }
        }

        var ready = await ReadyAsync(host);
        Assert.That(ready.Status, Is.EqualTo(HealthStatus.Healthy), ready.Description);

        await TenantSql.ExecuteAsync(Engine, ConnectionString, $"ALTER TABLE {Quote(_shared)}.currencies ADD COLUMN note VARCHAR(10) NULL");
        var changed = await ReadyAsync(host);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed.Status, Is.EqualTo(HealthStatus.Unhealthy), changed.Description);
            Assert.That(changed.Description, Does.Contain("the shared tables differ from the model").And.Contain("drop column").And.Contain("currencies.note"));
            Assert.That(changed.Data["schemaDifferences"], Is.EqualTo(1), "the shared table once, in no tenant's check");
            Assert.That(changed.Data["tenantsChecked"], Is.EqualTo(2));
            Assert.That(changed.Data["tenantsNotReady"], Is.Zero, "each tenant's own tables match");
        }
    }

    private static async Task<HealthReportEntry> ReadyAsync(Microsoft.Extensions.Hosting.IHost host) =>
        (await Hosting.HostedApp.CheckHealthAsync(host, "ready")).Entries["premix-main-ready"];

    // The configured connection string names the server (and database) where the shared table is synced once.
    private IPremix CreatePremix(IReadOnlyDictionary<string, string> tenants) => PremixFactory.Create(p => p.Use(Engine, ConnectionString)
        .AddModelConfiguration(new SharedCurrencyMap(_shared)).AddModelConfiguration(new CustomerMap())
        .UseTenants(t => t.DatabasePerTenant(tenants)));

    private static string Quote(string name) => $"`{name}`";
}
