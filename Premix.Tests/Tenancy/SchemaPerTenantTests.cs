using Premix.Mapping;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tenancy;

/// <summary>
/// A schema per tenant: PostgreSQL schemas in the fixture's database, MySQL/MariaDB databases on the fixture's server. The
/// leak suite, and no tenant's schema left on a pooled connection. SQLite has no schemas (<see cref="SchemaPerTenantSqliteTests"/>).
/// </summary>
[TestFixtureSource(typeof(ProviderTest), nameof(ServerEngines))]
public sealed class SchemaPerTenantTests(Engine engine) : TenantIsolationTests(engine)
{
    protected override string FailingTenant => "9lives"; // a tenant id, but no schema name (it starts with a digit)

    private string SchemaOf(string tenant) => Engine == Engine.MySql ? $"{DatabaseName}_{tenant}" : "t_" + tenant;

    protected override async Task CreateTenantStoresAsync()
    {
        foreach (var tenant in new[] { Acme, Globex })
        {
            var create = Engine == Engine.MySql ? $"CREATE DATABASE {Quote(SchemaOf(tenant))} CHARACTER SET utf8mb4" : $"CREATE SCHEMA {Quote(SchemaOf(tenant))}";
            await TenantSql.ExecuteAsync(Engine, ConnectionString, create + ";" + TenantTables.Create(Engine, Quote(SchemaOf(tenant))));
        }

        // Decoys: the same tables with the same keys in the configured database (PostgreSQL's public schema), so that any
        // statement of the suite that missed its tenant's schema reads or writes these rows instead of failing unseen.
        await TenantSql.ExecuteAsync(Engine, ConnectionString, TenantTables.Create(Engine) + TenantTables.Seed("decoy", 900));
    }

    protected override async Task DropTenantStoresAsync()
    {
        if (Engine == Engine.MySql)
        {
            foreach (var tenant in new[] { Acme, Globex })
            {
                await TenantSql.ExecuteAsync(Engine, ConnectionString, $"DROP DATABASE IF EXISTS {Quote(SchemaOf(tenant))}");
            }
        }
    }

    // One pooled connection for the shared pool: every tenant's statements and the check below use the same one.
    protected override void ConfigurePremix(PremixOptionsBuilder premix) => premix.ConfigureConnectionPool(p => p.MaxPoolSize = 1);

    protected override void ConfigureTenants(TenancyOptions tenants) =>
        tenants.SchemaPerTenant(tenant => tenant == FailingTenant ? tenant : SchemaOf(tenant)).ListTenantsWith([Acme, Globex, FailingTenant]);

    protected override (string ConnectionString, string? Schema) Store(string tenant) => (ConnectionString, SchemaOf(tenant));

    [Test]
    public async Task A_tenant_schema_is_not_left_on_the_pooled_connection()
    {
        using (PremixTenant.Begin(Acme))
        {
            await using var uow = Premix.BeginUnitOfWork();
            var account = await uow.Repository<TenantAccount>().GetAsync(1L);
            account.Name = "acme-pooled";
            await uow.CommitAsync();
            Assert.That(await Premix.Raw("SELECT name FROM accounts WHERE id = 1").FetchAs<string>(), Is.EqualTo(new[] { "acme-pooled" }));
        }

        // The configured database's pool (one connection, the one the tenant used on PostgreSQL) is where it was.
        await using var connection = Premix.Provider.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = Engine == Engine.MySql ? "SELECT DATABASE()" : "SELECT current_setting('search_path')";
        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo(Engine == Engine.MySql ? DatabaseName : "\"$user\", public"));
        Assert.That(await ColumnAsync(Globex, "SELECT name FROM {0}accounts WHERE id = 1"), Is.EqualTo(new[] { "globex-1" }));
    }

    [Test]
    public async Task Decoy_tables_of_the_same_names_outside_the_tenant_schemas_are_never_read_or_written()
    {
        using (PremixTenant.Begin(Acme))
        {
            await using (var uow = Premix.BeginUnitOfWork())
            {
                var accounts = uow.Repository<TenantAccount>();
                var all = await accounts.Query().Include(a => a.Invoices).OrderBy(a => a.Id).ToListAsync();
                Assert.That(all.Select(a => a.Name), Is.EqualTo(new[] { "acme-1", "acme-2" }));
                (await accounts.GetAsync(2L)).Name = "acme-2-renamed";
                uow.Repository<TenantInvoice>().Add(new TenantInvoice { AccountId = 1, Total = 5 });
                await uow.CommitAsync();
                await uow.Repository<TenantInvoice>().Query().Where(i => i.AccountId == 2).DeleteAllAsync();
                await uow.CommitAsync();
            }

            Assert.That(await Premix.Raw("SELECT name FROM accounts ORDER BY id").FetchAs<string>(), Is.EqualTo(new[] { "acme-1", "acme-2-renamed" }));
        }

        Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, "SELECT name FROM accounts ORDER BY id"), Is.EqualTo(new[] { "decoy-1", "decoy-2" }));
        Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, "SELECT total FROM invoices ORDER BY id"), Is.EqualTo(new[] { "901", "902", "903" }));
    }

    [Test]
    public async Task An_entity_mapped_to_a_schema_of_its_own_stays_there_shared_by_every_tenant_and_no_tenant_sync_changes_it()
    {
        var shared = Engine == Engine.MySql ? $"{DatabaseName}_shared" : "premix_shared";
        var currencies = $"{Quote(shared)}.currencies";
        var create = Engine == Engine.MySql ? $"CREATE DATABASE {Quote(shared)} CHARACTER SET utf8mb4" : $"CREATE SCHEMA {Quote(shared)}";
        await TenantSql.ExecuteAsync(Engine, ConnectionString, $"{create}; CREATE TABLE {currencies} (code VARCHAR(3) PRIMARY KEY, name VARCHAR(40) NOT NULL); INSERT INTO {currencies} VALUES ('EUR', 'Euro')");
        try
        {
            await using var premix = CreatePremix(options: p => p.AddModelConfiguration(new SharedCurrencyMap(shared)));
            using (PremixTenant.Begin(Acme))
            {
                await using var uow = premix.BeginUnitOfWork();
                Assert.That((await uow.Repository<SharedCurrency>().Query().ToListAsync()).Select(c => c.Code), Is.EqualTo(new[] { "EUR" }));
                uow.Repository<SharedCurrency>().Add(new SharedCurrency { Code = "USD", Name = "Dollar" });
                await uow.CommitAsync();
            }

            using (PremixTenant.Begin(Globex))
            {
                await using var uow = premix.BeginUnitOfWork();
                Assert.That((await uow.Repository<SharedCurrency>().GetAsync("USD")).Name, Is.EqualTo("Dollar"), "acme's insert is in the shared table globex reads");
            }

            Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, $"SELECT code FROM {currencies} ORDER BY code"), Is.EqualTo(new[] { "EUR", "USD" }));
            var inTenantSchemas = $"SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'currencies' AND table_schema IN ('{SchemaOf(Acme)}', '{SchemaOf(Globex)}')";
            Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, inTenantSchemas), Is.EqualTo(new[] { "0" }), "no tenant schema got a table of its own");

            // The shared table lacks a mapped column now: a tenant's sync would add it (each tenant's, some at once) were it
            // that tenant's to change. It is not: the tenant's diff leaves it out.
            await TenantSql.ExecuteAsync(Engine, ConnectionString, $"ALTER TABLE {currencies} DROP COLUMN name");
            await using var acme = ((PremixDatabase)premix).ForTenant(Acme);
            Assert.That((await acme.DiffAsync()).Statements, Has.None.Contains("currencies"));
        }
        finally
        {
            await TenantSql.ExecuteAsync(Engine, ConnectionString, Engine == Engine.MySql ? $"DROP DATABASE {Quote(shared)}" : $"DROP SCHEMA {Quote(shared)} CASCADE");
        }
    }

    [Test]
    public async Task Sync_across_all_tenants_creates_a_shared_schema_table_once_on_the_configured_database_before_the_tenants_run()
    {
        var shared = Engine == Engine.MySql ? $"{DatabaseName}_shared2" : "premix_shared2";
        string[] fresh = ["fresh1", "fresh2", "fresh3"];
        var createShared = Engine == Engine.MySql ? $"CREATE DATABASE {Quote(shared)} CHARACTER SET utf8mb4" : $"CREATE SCHEMA {Quote(shared)}";
        await TenantSql.ExecuteAsync(Engine, ConnectionString, createShared); // empty: the sync makes its table
        try
        {
            await using var premix = CreatePremix(options: p => p.AddModelConfiguration(new SharedCurrencyMap(shared)));

            // Before: no run created the shared table (each tenant's leaves it out), and the tenants' inserts failed on it.
            var report = await premix.SyncAllTenantsAsync(run: new TenantRunOptions { Tenants = fresh, MaxConcurrency = 3 });

            Assert.That(report.Failed.Select(f => f.TenantId + ": " + f.Error!.Message), Is.Empty, "no tenant failed");
            var tables = $"SELECT table_schema FROM information_schema.tables WHERE table_name = 'currencies' AND table_schema IN ('{shared}', {string.Join(", ", fresh.Select(t => $"'{SchemaOf(t)}'"))})";
            Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, tables), Is.EqualTo(new[] { shared }), "one currencies table, in the shared schema, none in a tenant's");
            var accounts = $"SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'accounts' AND table_schema IN ({string.Join(", ", fresh.Select(t => $"'{SchemaOf(t)}'"))})";
            Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, accounts), Is.EqualTo(new[] { "3" }), "each tenant got its own tables");
        }
        finally
        {
            var drops = fresh.Select(SchemaOf).Append(shared).Select(s => Engine == Engine.MySql ? $"DROP DATABASE IF EXISTS {Quote(s)}" : $"DROP SCHEMA IF EXISTS {Quote(s)} CASCADE");
            await TenantSql.ExecuteAsync(Engine, ConnectionString, string.Join(";", drops));
        }
    }

    [Test]
    public async Task Dropping_unmapped_tables_across_all_tenants_drops_none_of_the_configured_database_s_own_tables()
    {
        var shared = Engine == Engine.MySql ? $"{DatabaseName}_shared3" : "premix_shared3";
        var createShared = Engine == Engine.MySql ? $"CREATE DATABASE {Quote(shared)} CHARACTER SET utf8mb4" : $"CREATE SCHEMA {Quote(shared)}";
        // keep_me is the configured database's own (PostgreSQL: its current schema), as the decoys are; stray is the shared schema's, unmapped.
        await TenantSql.ExecuteAsync(Engine, ConnectionString, $"{createShared}; CREATE TABLE keep_me (id INT PRIMARY KEY); CREATE TABLE {Quote(shared)}.stray (id INT PRIMARY KEY)");
        try
        {
            await using var premix = CreatePremix(options: p => p.AddModelConfiguration(new SharedCurrencyMap(shared)));

            var report = await premix.SyncAllTenantsAsync(new SyncOptions { DropUnmappedTables = true, AllowDestructive = true }, new TenantRunOptions { Tenants = ["fresh4"] });

            Assert.That(report.Failed.Select(f => f.TenantId + ": " + f.Error!.Message), Is.Empty, "no tenant failed");
            var current = Engine == Engine.MySql ? "DATABASE()" : "current_schema()";
            Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, $"SELECT table_name FROM information_schema.tables WHERE table_schema = {current} AND table_name IN ('keep_me', 'accounts')"),
                Is.EquivalentTo(new[] { "keep_me", "accounts" }), "the configured database's own tables are kept");
            Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, $"SELECT table_name FROM information_schema.tables WHERE table_schema = '{shared}'"),
                Is.EqualTo(new[] { "currencies" }), "the shared schema's unmapped table is dropped, its mapped one made");
        }
        finally
        {
            var drops = new[] { SchemaOf("fresh4"), shared }.Select(s => Engine == Engine.MySql ? $"DROP DATABASE IF EXISTS {Quote(s)}" : $"DROP SCHEMA IF EXISTS {Quote(s)} CASCADE");
            await TenantSql.ExecuteAsync(Engine, ConnectionString, string.Join(";", drops.Append("DROP TABLE IF EXISTS keep_me")));
        }
    }

    [Test]
    public void A_tenant_whose_schema_name_is_not_an_identifier_fails_before_any_sql()
    {
        using (PremixTenant.Begin(FailingTenant))
        {
            Assert.That(() => Premix.BeginUnitOfWork(), Throws.TypeOf<UnknownTenantException>().With.Message.Contains("cannot have the schema"));
        }
    }
}

/// <summary>A row every tenant shares, in a schema of its own (a database on MySQL): a currency.</summary>
public sealed class SharedCurrency
{
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";
}

public sealed class SharedCurrencyMap(string schema) : ModelConfiguration<SharedCurrency>
{
    public override void Configure(EntityBuilder<SharedCurrency> e)
    {
        e.ToTable("currencies", schema);
        e.HasKey(c => c.Code);
        e.Property(c => c.Code).HasMaxLength(3);
        e.Property(c => c.Name).HasMaxLength(40);
    }
}
