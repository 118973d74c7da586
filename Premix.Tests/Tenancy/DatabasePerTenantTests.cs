using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tenancy;

/// <summary>A database per tenant (a file per tenant on SQLite): the leak suite, and the bound on open tenant databases.</summary>
public sealed class DatabasePerTenantTests(Engine engine) : TenantIsolationTests(engine)
{
    private readonly Dictionary<string, IsolatedDatabase> _databases = new(StringComparer.Ordinal);
    private string? _missing;

    protected override string FailingTenant => "ghost";

    protected override async Task CreateTenantStoresAsync()
    {
        foreach (var tenant in new[] { Acme, Globex })
        {
            var database = await IsolatedDatabase.CreateAsync(Engine);
            _databases[tenant] = database;
            await TenantSql.ExecuteAsync(Engine, database.ConnectionString, TenantTables.Create(Engine));
        }

        // A database that does not exist: its tenant's migration fails when it connects.
        _missing = Engine == Engine.Sqlite
            ? $"Data Source={Path.Combine(Path.GetTempPath(), "premix-no-such-folder-" + Guid.NewGuid().ToString("N"), "ghost.db")}"
            : _databases[Acme].ConnectionString.Replace(_databases[Acme].Name, "premix_no_such_database", StringComparison.Ordinal);
    }

    protected override async Task DropTenantStoresAsync()
    {
        foreach (var database in _databases.Values)
        {
            await using var connection = TenantSql.Connection(Engine, database.ConnectionString);
            await database.DropAsync(connection);
        }
    }

    protected override void ConfigureTenants(TenancyOptions tenants) =>
        tenants.DatabasePerTenant(tenant => tenant == FailingTenant ? _missing : _databases.TryGetValue(tenant, out var database) ? database.ConnectionString : null)
            .ListTenantsWith([Acme, Globex, FailingTenant]);

    protected override (string ConnectionString, string? Schema) Store(string tenant) => (_databases[tenant].ConnectionString, null);

    [Test]
    public async Task Sync_across_all_tenants_works_on_at_most_MaxOpenDatabases_tenants_at_once_so_none_fails_at_the_bound()
    {
        // Before: 4 at once whatever the bound, so with one open tenant database allowed, a tenant whose sync started while
        // another's ran found it in use and failed ("all 1 open tenant databases are in use").
        var fresh = new Dictionary<string, IsolatedDatabase>(StringComparer.Ordinal);
        try
        {
            foreach (var tenant in new[] { "t1", "t2", "t3" })
            {
                fresh[tenant] = await IsolatedDatabase.CreateAsync(Engine); // empty: the sync creates the model's tables
            }

            await using var premix = CreatePremix(t =>
            {
                t.DatabasePerTenant(fresh.ToDictionary(f => f.Key, f => f.Value.ConnectionString));
                t.MaxOpenDatabases = 1;
            });

            var report = await premix.SyncAllTenantsAsync(run: new TenantRunOptions { MaxConcurrency = 4 });

            Assert.That(report.Failed.Select(o => $"{o.TenantId}: {o.Error?.Message}"), Is.Empty);
            Assert.That(report.Outcomes.Select(o => o.TenantId), Is.EquivalentTo(fresh.Keys));
            foreach (var (tenant, database) in fresh)
            {
                Assert.That(await TenantSql.ColumnAsync(Engine, database.ConnectionString, "SELECT COUNT(*) FROM invoices"), Is.EqualTo(new[] { "0" }), tenant + "'s tables were created");
            }
        }
        finally
        {
            foreach (var database in fresh.Values)
            {
                await using var connection = TenantSql.Connection(Engine, database.ConnectionString);
                await database.DropAsync(connection);
            }
        }
    }

    [Test]
    public void A_tenant_without_a_connection_string_fails_before_any_sql()
    {
        using (PremixTenant.Begin("initech"))
        {
            Assert.That(() => Premix.BeginUnitOfWork(), Throws.TypeOf<UnknownTenantException>().With.Message.Contains("'initech' has no database"));
        }
    }

    [Test]
    public async Task At_the_bound_the_least_recently_used_idle_tenant_database_is_closed_and_a_busy_bound_refuses_another()
    {
        await using var premix = CreatePremix(t => t.MaxOpenDatabases = 1);
        var tenants = ((PremixDatabase)premix).Tenants!;
        using (PremixTenant.Begin(Acme))
        {
            await using var uow = premix.BeginUnitOfWork();
            Assert.That((await uow.Repository<TenantAccount>().GetAsync(1L)).Name, Is.EqualTo("acme-1"));
            using (PremixTenant.Begin(Globex))
            {
                Assert.That(() => premix.BeginUnitOfWork(), Throws.InvalidOperationException.With.Message.Contains("all 1 open tenant databases are in use"));
            }
        }

        using (PremixTenant.Begin(Globex))
        {
            await using var uow = premix.BeginUnitOfWork();
            Assert.That((await uow.Repository<TenantAccount>().GetAsync(1L)).Name, Is.EqualTo("globex-1"), "acme's idle database made room");
            Assert.That(tenants.OpenCount, Is.EqualTo(1));
        }

        using (PremixTenant.Begin(Acme))
        {
            Assert.That(await premix.Raw("SELECT name FROM accounts WHERE id = 2").FetchAs<string>(), Is.EqualTo(new[] { "acme-2" }), "reopened");
        }
    }

    [Test]
    public async Task Spans_and_measurements_of_a_tenant_name_its_database_not_the_configured_one()
    {
        using var capture = new TelemetryCapture();

        Assert.That(await NameOfAccountOneAsync(Premix, Acme), Is.EqualTo("acme-1"));

        var spans = capture.Spans(_databases[Acme].Name);
        Assert.That(spans, Is.Not.Empty, "a span names acme's database");
        Assert.That(capture.Measurements(PremixDiagnostics.OperationDuration, _databases[Acme].Name), Is.Not.Empty);
        Assert.That(capture.Spans(DatabaseName), Is.Empty, "the configured database runs none of the tenant's statements");
        Assert.That(spans.SelectMany(s => s.Tags).Select(t => t.Value), Has.None.Contains("assword").And.None.Contains(";"), "no connection string in a tag");
    }

    [Test]
    public async Task A_tenants_commit_span_commit_counter_and_connection_gauge_name_its_database_not_the_configured_one()
    {
        using var capture = new TelemetryCapture();
        using (PremixTenant.Begin(Acme))
        {
            await using var uow = Premix.BeginUnitOfWork();
            var account = await uow.Repository<TenantAccount>().GetAsync(1L);
            account.Name = "acme-renamed";
            await uow.CommitAsync();
        }

        var acme = _databases[Acme].Name;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(capture.Spans(acme).Select(s => s.DisplayName), Does.Contain("COMMIT"));
            Assert.That(capture.Measurements(PremixDiagnostics.Commits, acme), Has.Count.EqualTo(1));
            Assert.That(capture.Measurements(PremixDiagnostics.ActiveConnections, acme), Is.Not.Empty);
            Assert.That(capture.Spans(DatabaseName), Is.Empty, "no span of the tenant's names the configured database");
            Assert.That(capture.Measurements(PremixDiagnostics.Commits, DatabaseName), Is.Empty);
            Assert.That(capture.Measurements(PremixDiagnostics.ActiveConnections, DatabaseName), Is.Empty);
        }

        Assert.That(await TenantSql.ColumnAsync(Engine, _databases[Acme].ConnectionString, "SELECT name FROM accounts WHERE id = 1"), Is.EqualTo(new[] { "acme-renamed" }));
    }

    [Test]
    public async Task A_slow_connection_string_callback_holds_up_only_its_own_tenant()
    {
        using var slowEntered = new ManualResetEventSlim();
        using var fastDone = new ManualResetEventSlim();
        var fastFinishedWhileSlowWaited = false;
        await using var premix = CreatePremix(t => t.DatabasePerTenant(tenant =>
        {
            if (tenant == Globex)
            {
                slowEntered.Set();
                fastFinishedWhileSlowWaited = fastDone.Wait(TimeSpan.FromSeconds(30)); // only a lock shared by every tenant makes it wait so long
            }

            return _databases.TryGetValue(tenant, out var database) ? database.ConnectionString : null;
        }));

        var slow = Task.Run(() => NameOfAccountOneAsync(premix, Globex));
        await Task.Run(slowEntered.Wait);
        var fast = Task.Run(async () =>
        {
            try
            {
                return await NameOfAccountOneAsync(premix, Acme);
            }
            finally
            {
                fastDone.Set();
            }
        });

        Assert.That(await fast, Is.EqualTo("acme-1"));
        Assert.That(await slow, Is.EqualTo("globex-1"));
        Assert.That(fastFinishedWhileSlowWaited, Is.True, "acme's unit of work waited for globex's callback");
    }

    private static async Task<string> NameOfAccountOneAsync(IPremix premix, string tenant)
    {
        using (PremixTenant.Begin(tenant))
        {
            await using var uow = premix.BeginUnitOfWork();
            return (await uow.Repository<TenantAccount>().GetAsync(1L)).Name;
        }
    }

    [Test]
    public async Task A_tenant_that_cannot_be_opened_at_the_bound_closes_no_open_tenant()
    {
        await using var premix = CreatePremix(t => t.MaxOpenDatabases = 1);
        var tenants = ((PremixDatabase)premix).Tenants!;
        using (PremixTenant.Begin(Acme))
        {
            await using var uow = premix.BeginUnitOfWork();
            Assert.That((await uow.Repository<TenantAccount>().GetAsync(1L)).Name, Is.EqualTo("acme-1"));
        }

        using (PremixTenant.Begin("initech"))
        {
            Assert.That(() => premix.BeginUnitOfWork(), Throws.TypeOf<UnknownTenantException>());
        }

        Assert.That(tenants.OpenCount, Is.EqualTo(1), "acme's database stays open: nothing was evicted for a tenant that never opened");
        using (PremixTenant.Begin(Acme))
        {
            Assert.That(await premix.Raw("SELECT name FROM accounts WHERE id = 2").FetchAs<string>(), Is.EqualTo(new[] { "acme-2" }));
        }
    }
}
