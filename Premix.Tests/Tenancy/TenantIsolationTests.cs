using Microsoft.Extensions.DependencyInjection;
using Premix.Mapping;
using Premix.Migrations;
using Premix.Repositories;
using Premix.Tenancy;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tenancy;

/// <summary>
/// The cross-tenant leak suite, written once for every strategy: two tenants hold rows with the same keys, and what one
/// tenant's unit of work reads, writes or runs as raw SQL never reaches the other's. Arranged and checked with plain SQL
/// on connections of their own.
/// </summary>
public abstract class TenantIsolationTests(Engine engine) : ProviderTest(engine)
{
    protected const string Acme = "acme";
    protected const string Globex = "globex";

    private IPremix? _premix;

    protected IPremix Premix => _premix ?? throw new InvalidOperationException("Premix exists from OneTimeSetUp on.");

    /// <summary>A tenant whose database or schema cannot be reached, for the all-tenant runs.</summary>
    protected abstract string FailingTenant { get; }

    /// <summary>Creates the tenants' databases or schemas with their tables.</summary>
    protected abstract Task CreateTenantStoresAsync();

    protected abstract Task DropTenantStoresAsync();

    /// <summary>The strategy under test, with every tenant (the failing one too) listed.</summary>
    protected abstract void ConfigureTenants(TenancyOptions tenants);

    /// <summary>Where plain SQL reaches <paramref name="tenant"/>'s tables: a connection string and a schema prefix (null: none).</summary>
    protected abstract (string ConnectionString, string? Schema) Store(string tenant);

    protected virtual void ConfigurePremix(PremixOptionsBuilder premix)
    {
    }

    [OneTimeSetUp]
    public async Task CreateTenantsAsync()
    {
        await CreateTenantStoresAsync();
        _premix = CreatePremix();
    }

    [OneTimeTearDown]
    public async Task DropTenantsAsync()
    {
        if (_premix is not null)
        {
            await _premix.DisposeAsync();
        }

        await DropTenantStoresAsync();
    }

    [SetUp]
    public async Task SeedAsync()
    {
        await SeedAsync(Acme, 100);
        await SeedAsync(Globex, 200);
    }

    protected IPremix CreatePremix(Action<TenancyOptions>? more = null, Action<PremixOptionsBuilder>? options = null) => PremixFactory.Create(p =>
    {
        options?.Invoke(p);
        p.Use(Engine, ConnectionString).UseNamingConvention(NamingConvention.SnakeCase)
            .AddModelConfiguration<TenantAccountMap>().AddModelConfiguration<TenantInvoiceMap>()
            .UseTenants(t =>
            {
                ConfigureTenants(t);
                more?.Invoke(t);
            });
        ConfigurePremix(p);
    });

    [Test]
    public async Task Reads_by_key_query_and_include_in_one_tenant_return_only_its_rows()
    {
        using (PremixTenant.Begin(Acme))
        {
            await using var uow = Premix.BeginUnitOfWork();
            var accounts = uow.Repository<TenantAccount>();
            Assert.That((await accounts.GetAsync(1L)).Name, Is.EqualTo("acme-1"));
            var all = await accounts.Query().Include(a => a.Invoices).OrderBy(a => a.Id).ToListAsync();
            Assert.That(all.Select(a => a.Name), Is.EqualTo(new[] { "acme-1", "acme-2" }));
            Assert.That(all.SelectMany(a => a.Invoices).Select(i => i.Total).Order(), Is.EqualTo(new[] { 101, 102, 103 }));
            Assert.That(await uow.Repository<TenantInvoice>().Query().Where(i => i.Total > 150).CountAsync(), Is.Zero, "globex's invoices are all above 200");
        }

        using (PremixTenant.Begin(Globex))
        {
            await using var uow = Premix.BeginUnitOfWork();
            Assert.That((await uow.Repository<TenantAccount>().GetAsync(1L)).Name, Is.EqualTo("globex-1"));
        }
    }

    [Test]
    public async Task Inserts_updates_and_deletes_in_one_tenant_leave_the_other_untouched()
    {
        using (PremixTenant.Begin(Acme))
        {
            await using var uow = Premix.BeginUnitOfWork();
            var accounts = uow.Repository<TenantAccount>();
            var first = await accounts.GetAsync(1L);
            first.Name = "acme-renamed";
            accounts.Add(new TenantAccount { Name = "acme-new" });
            uow.Repository<TenantInvoice>().Remove(await uow.Repository<TenantInvoice>().GetAsync(3L));
            await uow.CommitAsync();
            await uow.Repository<TenantInvoice>().Query().Where(i => i.AccountId == 1).UpdateAllAsync(s => s.Set(i => i.Total, 999));
            await uow.CommitAsync();
        }

        Assert.That(await ColumnAsync(Acme, "SELECT name FROM {0}accounts ORDER BY name"), Is.EqualTo(new[] { "acme-2", "acme-new", "acme-renamed" }));
        Assert.That(await ColumnAsync(Acme, "SELECT total FROM {0}invoices ORDER BY id"), Is.EqualTo(new[] { "999", "999" }));
        Assert.That(await ColumnAsync(Globex, "SELECT name FROM {0}accounts ORDER BY id"), Is.EqualTo(new[] { "globex-1", "globex-2" }));
        Assert.That(await ColumnAsync(Globex, "SELECT total FROM {0}invoices ORDER BY id"), Is.EqualTo(new[] { "201", "202", "203" }));
    }

    [Test]
    public async Task Bulk_inserts_in_two_tenants_take_each_tenants_own_keys()
    {
        await using var premix = CreatePremix(options: p => p.BulkInsertThreshold(2));
        foreach (var tenant in new[] { Acme, Globex, Acme })
        {
            using (PremixTenant.Begin(tenant))
            {
                await using var uow = premix.BeginUnitOfWork();
                for (var i = 0; i < 3; i++)
                {
                    uow.Repository<TenantAccount>().Add(new TenantAccount { Name = $"{tenant}-bulk" });
                }

                await uow.CommitAsync();
            }
        }

        using (PremixTenant.Begin(Globex))
        {
            await using var uow = premix.BeginUnitOfWork();
            uow.Repository<TenantAccount>().Add(new TenantAccount { Name = "globex-one" });
            await uow.CommitAsync();
        }

        var first = Engine == Engine.PostgreSql ? 100 : 3; // where the seeded identities continue
        var acme = Enumerable.Range(first, 6).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var globex = Enumerable.Range(first, 4).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(await ColumnAsync(Acme, "SELECT id FROM {0}accounts WHERE name = 'acme-bulk' ORDER BY id"), Is.EqualTo(acme));
        Assert.That(await ColumnAsync(Globex, "SELECT id FROM {0}accounts WHERE name <> 'globex-1' AND name <> 'globex-2' ORDER BY id"), Is.EqualTo(globex), "globex's keys come from globex's own sequence");
        Assert.That(await ColumnAsync(Globex, "SELECT name FROM {0}accounts WHERE id = " + (first + 3)), Is.EqualTo(new[] { "globex-one" }));
    }

    [TestCase("acme\n")]
    [TestCase("Acme")]
    [TestCase("../acme")]
    [TestCase("acme;Database=postgres")]
    [TestCase("acme\r\nINFO forged")]
    public void A_tenant_id_that_is_not_a_lowercase_identifier_is_refused_before_any_sql_without_being_repeated(string tenant)
    {
        using (PremixTenant.Begin(tenant))
        {
            Assert.That(() => Premix.BeginUnitOfWork(), Throws.TypeOf<UnknownTenantException>().With.Message.Contains("TenantIdFormat").And.Message.Not.Contains(tenant));
            Assert.That(() => Premix.Raw("DELETE FROM invoices").ExecuteAsync(), Throws.TypeOf<UnknownTenantException>());
        }

        Assert.That(((PremixDatabase)Premix).Tenants!.OpenCount, Is.LessThanOrEqualTo(2), "nothing opened for it");
    }

    [Test]
    public async Task Raw_sql_in_a_tenant_scope_reads_and_writes_only_that_tenant()
    {
        using (PremixTenant.Begin(Globex))
        {
            var names = await Premix.Raw("SELECT name AS Name FROM accounts ORDER BY id").FetchAs<string>();
            Assert.That(names, Is.EqualTo(new[] { "globex-1", "globex-2" }));
            await Premix.Raw($"UPDATE accounts SET name = {"globex-raw"} WHERE id = {2}").ExecuteAsync();
        }

        Assert.That(await ColumnAsync(Globex, "SELECT name FROM {0}accounts ORDER BY id"), Is.EqualTo(new[] { "globex-1", "globex-raw" }));
        Assert.That(await ColumnAsync(Acme, "SELECT name FROM {0}accounts ORDER BY id"), Is.EqualTo(new[] { "acme-1", "acme-2" }));
    }

    [Test]
    public async Task Work_without_a_tenant_throws_before_any_sql_and_writes_nothing()
    {
        Assert.That(() => Premix.BeginUnitOfWork(), Throws.TypeOf<TenantRequiredException>());
        Assert.That(() => Premix.Raw("DELETE FROM invoices"), Throws.TypeOf<TenantRequiredException>());

        var services = new ServiceCollection();
        services.AddPremix(p =>
        {
            p.Use(Engine, ConnectionString).UseNamingConvention(NamingConvention.SnakeCase)
                .AddModelConfiguration<TenantAccountMap>().AddModelConfiguration<TenantInvoiceMap>().UseTenants(ConfigureTenants);
            ConfigurePremix(p);
        });
        services.AddScoped<ITenantResolver>(_ => new FixedTenant(null));
        await using (var provider = services.BuildServiceProvider())
        await using (var scope = provider.CreateAsyncScope())
        {
            Assert.That(() => scope.ServiceProvider.GetRequiredService<IRepository<TenantAccount>>(), Throws.TypeOf<TenantRequiredException>()
                .With.Message.Contains("named no tenant"));
        }

        Assert.That(await ColumnAsync(Acme, "SELECT COUNT(*) FROM {0}invoices"), Is.EqualTo(new[] { "3" }));
        Assert.That(await ColumnAsync(Globex, "SELECT COUNT(*) FROM {0}invoices"), Is.EqualTo(new[] { "3" }));
    }

    [Test]
    public async Task A_resolver_names_the_tenant_of_each_dependency_injection_scope()
    {
        var services = new ServiceCollection();
        services.AddPremix(p =>
        {
            p.Use(Engine, ConnectionString).UseNamingConvention(NamingConvention.SnakeCase)
                .AddModelConfiguration<TenantAccountMap>().AddModelConfiguration<TenantInvoiceMap>().UseTenants(ConfigureTenants);
            ConfigurePremix(p);
        });
        var current = new FixedTenant(Acme);
        services.AddScoped<ITenantResolver>(_ => new FixedTenant(current.Tenant));
        await using var provider = services.BuildServiceProvider();
        foreach (var tenant in new[] { Acme, Globex, Acme })
        {
            current.Tenant = tenant;
            await using var scope = provider.CreateAsyncScope();
            var account = await scope.ServiceProvider.GetRequiredService<IRepository<TenantAccount>>().GetAsync(2L);
            Assert.That(account.Name, Is.EqualTo(tenant + "-2"));
        }
    }

    [Test]
    public async Task An_ambient_tenant_other_than_the_one_the_scope_resolved_is_refused_before_any_sql()
    {
        var services = new ServiceCollection();
        services.AddPremix(p =>
        {
            p.Use(Engine, ConnectionString).UseNamingConvention(NamingConvention.SnakeCase)
                .AddModelConfiguration<TenantAccountMap>().AddModelConfiguration<TenantInvoiceMap>().UseTenants(ConfigureTenants);
            ConfigurePremix(p);
        });
        services.AddScoped<ITenantResolver>(_ => new FixedTenant(Acme));
        await using var provider = services.BuildServiceProvider();
        await using (var scope = provider.CreateAsyncScope())
        using (PremixTenant.Begin(Globex))
        {
            Assert.That(() => scope.ServiceProvider.GetRequiredService<IUnitOfWork>(), Throws.TypeOf<TenantConflictException>()
                .With.Message.Contains("differs from the tenant this scope's ITenantResolver named")
                .And.Message.Not.Contains(Acme).And.Message.Not.Contains(Globex));
        }

        await using (var scope = provider.CreateAsyncScope())
        using (PremixTenant.Begin(Acme))
        {
            var uow = scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
            Assert.That((await uow.Repository<TenantAccount>().GetAsync(1L)).Name, Is.EqualTo("acme-1"), "the same tenant both ways is no conflict");
        }
    }

    [Test]
    public async Task Concurrent_units_of_work_of_different_tenants_each_see_only_their_own_rows()
    {
        var foreign = 0;
        var runs = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++)
            {
                var tenant = (worker + i) % 2 == 0 ? Acme : Globex;
                using (PremixTenant.Begin(tenant))
                {
                    await using var uow = Premix.BeginUnitOfWork();
                    var names = await uow.Repository<TenantAccount>().Query().Select(a => a.Name).ToListAsync();
                    foreign += names.Count(n => !n.StartsWith(tenant, StringComparison.Ordinal));
                    uow.Repository<TenantInvoice>().Add(new TenantInvoice { AccountId = 1, Total = tenant == Acme ? 1000 : 2000 });
                    await uow.CommitAsync();
                }
            }
        })).ToArray();
        await Task.WhenAll(runs);

        Assert.That(foreign, Is.Zero, "rows of the other tenant read");
        Assert.That(await ColumnAsync(Acme, "SELECT total FROM {0}invoices WHERE total >= 1000 GROUP BY total"), Is.EqualTo(new[] { "1000" }));
        Assert.That(await ColumnAsync(Acme, "SELECT COUNT(*) FROM {0}invoices WHERE total = 1000"), Is.EqualTo(new[] { "60" }));
        Assert.That(await ColumnAsync(Globex, "SELECT total FROM {0}invoices WHERE total >= 1000 GROUP BY total"), Is.EqualTo(new[] { "2000" }));
        Assert.That(await ColumnAsync(Globex, "SELECT COUNT(*) FROM {0}invoices WHERE total = 2000"), Is.EqualTo(new[] { "60" }));
    }

    [Test]
    public async Task Every_tenant_shares_one_plan_cache()
    {
        var runtime = ((PremixDatabase)Premix).Runtime;
        async Task<int> QueryAsync(string tenant, int least)
        {
            using (PremixTenant.Begin(tenant))
            {
                await using var uow = Premix.BeginUnitOfWork();
                var rows = await uow.Repository<TenantInvoice>().Query().Where(i => i.Total >= least).ToListAsync();
                return rows.Count;
            }
        }

        Assert.That(await QueryAsync(Acme, 102), Is.EqualTo(2));
        var translations = runtime.Queries.Count;
        var plans = runtime.Plans.Values.ToArray();
        Assert.That(await QueryAsync(Globex, 202), Is.EqualTo(2));
        Assert.That(await QueryAsync(Acme, 103), Is.EqualTo(1));
        Assert.That(runtime.Queries.Count, Is.EqualTo(translations), "translations after a second tenant ran the same query");
        Assert.That(runtime.Plans.Values, Is.EqualTo(plans).AsCollection, "the compiled plans are the same objects");
    }

    [Test]
    public async Task Migrations_across_all_tenants_apply_to_each_and_report_the_failing_one()
    {
        var folder = Directory.CreateTempSubdirectory("premix-tenant-migrations-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "20260101000000_marker.sql"), "-- +premix Up\nCREATE TABLE marker (id INT);\n");
            var done = new List<string>();
            var report = await Premix.MigrateAllTenantsAsync(folder.FullName, run: new TenantRunOptions { MaxConcurrency = 2, Progress = o => { lock (done) { done.Add(o.TenantId); } } });

            Assert.That(report.Outcomes.Select(o => o.TenantId), Is.EqualTo(new[] { Acme, Globex, FailingTenant }));
            Assert.That(report.Failed.Select(o => o.TenantId), Is.EqualTo(new[] { FailingTenant }));
            Assert.That(report.Outcomes.Take(2).Select(o => o.Changes), Is.EqualTo(new[] { 1, 1 }));
            Assert.That(done, Is.EquivalentTo(new[] { Acme, Globex, FailingTenant }));
            Assert.That(() => report.ThrowIfFailed(), Throws.TypeOf<AggregateException>().With.Message.Contains(FailingTenant));
            foreach (var tenant in new[] { Acme, Globex })
            {
                Assert.That(await ColumnAsync(tenant, "SELECT COUNT(*) FROM {0}marker"), Is.EqualTo(new[] { "0" }), tenant);
                Assert.That(await ColumnAsync(tenant, "SELECT COUNT(*) FROM {0}premix_migrations"), Is.EqualTo(new[] { "1" }), tenant);
            }

            var again = await Premix.MigrateAllTenantsAsync(folder.FullName, run: new TenantRunOptions { Tenants = [Acme, Globex] });
            Assert.That(again.Outcomes.Select(o => o.Changes), Is.EqualTo(new[] { 0, 0 }), "each tenant's history already holds the migration");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public void Sync_and_migrations_on_the_premix_of_all_tenants_are_refused()
    {
        Assert.That(() => Premix.SyncAsync(), Throws.TypeOf<TenantRequiredException>().With.Message.Contains("SyncAllTenantsAsync"));
    }

    protected async Task SeedAsync(string tenant, int totalBase)
    {
        var (connectionString, schema) = Store(tenant);
        var prefix = schema is null ? null : Quote(schema);
        await TenantSql.ExecuteAsync(Engine, connectionString, TenantTables.Seed(tenant, totalBase, prefix) + TenantSql.RestartIdentities(Engine, prefix));
    }

    protected Task<List<string>> ColumnAsync(string tenant, string sql)
    {
        var (connectionString, schema) = Store(tenant);
        return TenantSql.ColumnAsync(Engine, connectionString, string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, schema is null ? "" : Quote(schema) + "."));
    }

    protected string Quote(string identifier) => Engine == Engine.MySql ? $"`{identifier}`" : $"\"{identifier}\"";

    private sealed class FixedTenant(string? tenant) : ITenantResolver
    {
        public string? Tenant { get; set; } = tenant;

        public string? ResolveTenant() => Tenant;
    }
}
