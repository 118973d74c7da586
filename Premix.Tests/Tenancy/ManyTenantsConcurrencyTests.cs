using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tenancy;

/// <summary>
/// Many tenants at once, with every strategy the engine offers: 20 tenants × 3 concurrent workers, each running 5 units
/// of work that read the tenant's rows and insert one. No read sees another tenant's row, and each tenant's store holds
/// exactly its own rows afterwards, checked through plain SQL. A database per tenant and a tenant column here (every
/// engine); a schema per tenant in <see cref="ManySchemaTenantsConcurrencyTests"/> (PostgreSQL and MariaDB: SQLite has no schemas).
/// </summary>
public sealed class ManyTenantsConcurrencyTests(Engine engine) : ProviderTest(engine)
{
    [Test]
    public async Task Twenty_tenants_with_a_database_each_running_units_of_work_at_once_never_see_or_write_each_others_rows()
    {
        var databases = new Dictionary<string, IsolatedDatabase>(StringComparer.Ordinal);
        try
        {
            foreach (var tenant in ManyTenants.Ids)
            {
                var database = await IsolatedDatabase.CreateAsync(Engine);
                databases[tenant] = database;
                await TenantSql.ExecuteAsync(Engine, database.ConnectionString, TenantTables.Create(Engine) + $"INSERT INTO accounts (name) VALUES ('{tenant}-seed')");
            }

            await using (var premix = ManyTenants.CreatePremix(Engine, ConnectionString, t => t.DatabasePerTenant(databases.ToDictionary(d => d.Key, d => d.Value.ConnectionString))))
            {
                Assert.That(await ManyTenants.RunAccountsAsync(premix), Is.Zero, "rows of another tenant read");
            }

            foreach (var (tenant, database) in databases)
            {
                Assert.That(await TenantSql.ColumnAsync(Engine, database.ConnectionString, "SELECT name FROM accounts"), Is.EquivalentTo(ManyTenants.ExpectedNames(tenant)), tenant);
            }
        }
        finally
        {
            foreach (var database in databases.Values)
            {
                await using var connection = TenantSql.Connection(Engine, database.ConnectionString);
                await database.DropAsync(connection);
            }
        }
    }

    [Test]
    public async Task Twenty_tenants_sharing_tables_with_a_tenant_column_running_units_of_work_at_once_never_see_or_write_each_others_rows()
    {
        await TenantSql.ExecuteAsync(Engine, ConnectionString, SharedTables.Create(Engine));
        await using (var premix = PremixFactory.Create(p => p.Use(Engine, ConnectionString).UseNamingConvention(NamingConvention.SnakeCase)
            .AddModelConfiguration<SharedOrderMap>().AddModelConfiguration<SharedLineMap>().UseTenants(t => t.TenantColumn())))
        {
            var foreign = await ManyTenants.RunAsync(premix, async (uow, tenant, worker, round) =>
            {
                var orders = uow.Repository<SharedOrder>();
                var seen = (await orders.ListAsync()).Count(o => o.TenantId != tenant);
                orders.Add(new SharedOrder { Code = $"w{worker}r{round}", Total = round });
                return seen;
            });
            Assert.That(foreign, Is.Zero, "rows of another tenant read");
        }

        var joined = Engine == Engine.Sqlite ? "tenant_id || '-' || code" : "CONCAT(tenant_id, '-', code)";
        var rows = await TenantSql.ColumnAsync(Engine, ConnectionString, $"SELECT {joined} FROM shared_orders");
        Assert.That(rows, Is.EquivalentTo(ManyTenants.Ids.SelectMany(t => ManyTenants.WrittenNames(t))), "each tenant's inserts carry its own tenant, once each");
    }
}

/// <summary>The many-tenant run with a schema per tenant: PostgreSQL schemas, MariaDB databases.</summary>
[TestFixtureSource(typeof(ProviderTest), nameof(ServerEngines))]
public sealed class ManySchemaTenantsConcurrencyTests(Engine engine) : ProviderTest(engine)
{
    [Test]
    public async Task Twenty_tenants_with_a_schema_each_running_units_of_work_at_once_never_see_or_write_each_others_rows()
    {
        string SchemaOf(string tenant) => Engine == Engine.MySql ? $"{DatabaseName}_{tenant}" : "s_" + tenant;
        string Quote(string name) => Engine == Engine.MySql ? $"`{name}`" : $"\"{name}\"";
        try
        {
            foreach (var tenant in ManyTenants.Ids)
            {
                var schema = Quote(SchemaOf(tenant));
                var create = Engine == Engine.MySql ? $"CREATE DATABASE {schema} CHARACTER SET utf8mb4" : $"CREATE SCHEMA {schema}";
                await TenantSql.ExecuteAsync(Engine, ConnectionString, $"{create}; {TenantTables.Create(Engine, schema)} INSERT INTO {schema}.accounts (name) VALUES ('{tenant}-seed')");
            }

            await using (var premix = ManyTenants.CreatePremix(Engine, ConnectionString, t => t.SchemaPerTenant(SchemaOf)))
            {
                Assert.That(await ManyTenants.RunAccountsAsync(premix), Is.Zero, "rows of another tenant read");
            }

            foreach (var tenant in ManyTenants.Ids)
            {
                Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, $"SELECT name FROM {Quote(SchemaOf(tenant))}.accounts"), Is.EquivalentTo(ManyTenants.ExpectedNames(tenant)), tenant);
            }
        }
        finally
        {
            foreach (var tenant in ManyTenants.Ids)
            {
                await TenantSql.ExecuteAsync(Engine, ConnectionString, Engine == Engine.MySql ? $"DROP DATABASE IF EXISTS {Quote(SchemaOf(tenant))}" : $"DROP SCHEMA IF EXISTS {Quote(SchemaOf(tenant))} CASCADE");
            }
        }
    }
}

/// <summary>The many-tenant workload the strategies share.</summary>
internal static class ManyTenants
{
    private const int Workers = 3;
    private const int Rounds = 5;

    public static IReadOnlyList<string> Ids { get; } = [.. Enumerable.Range(0, 20).Select(i => $"t{i:00}")];

    /// <summary>A Premix of <see cref="TenantAccount"/> with <paramref name="strategy"/>; two connections per tenant pool, so 20 pools stay within the test servers' connection limits.</summary>
    public static IPremix CreatePremix(Engine engine, string connectionString, Action<TenancyOptions> strategy) => PremixFactory.Create(p => p.Use(engine, connectionString)
        .UseNamingConvention(NamingConvention.SnakeCase).ConfigureConnectionPool(c => c.MaxPoolSize = 2)
        .AddModelConfiguration<TenantAccountMap>().AddModelConfiguration<TenantInvoiceMap>().UseTenants(strategy));

    /// <summary>Every worker of every tenant at once: each unit of work lists the tenant's accounts and adds one. Returns the rows of other tenants read.</summary>
    public static Task<int> RunAccountsAsync(IPremix premix) => RunAsync(premix, async (uow, tenant, worker, round) =>
    {
        var accounts = uow.Repository<TenantAccount>();
        var seen = (await accounts.ListAsync()).Count(a => !a.Name.StartsWith(tenant + "-", StringComparison.Ordinal));
        accounts.Add(new TenantAccount { Name = $"{tenant}-w{worker}r{round}" });
        return seen;
    });

    /// <summary>
    /// Runs <paramref name="work"/> in a unit of work of its tenant (committed after it), <see cref="Rounds"/> times per
    /// worker, <see cref="Workers"/> workers per tenant, all tenants at once. Returns the sum of what <paramref name="work"/> returned.
    /// </summary>
    public static async Task<int> RunAsync(IPremix premix, Func<IUnitOfWork, string, int, int, Task<int>> work)
    {
        var foreign = 0;
        await Task.WhenAll(Ids.SelectMany(tenant => Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                using (PremixTenant.Begin(tenant))
                {
                    await using var uow = premix.BeginUnitOfWork();
                    Interlocked.Add(ref foreign, await work(uow, tenant, worker, round));
                    await uow.CommitAsync();
                }
            }
        }))));
        return foreign;
    }

    /// <summary>What each worker of <paramref name="tenant"/> wrote: <c>tenant-wWrR</c>.</summary>
    public static IEnumerable<string> WrittenNames(string tenant) =>
        Enumerable.Range(0, Workers).SelectMany(w => Enumerable.Range(0, Rounds).Select(r => $"{tenant}-w{w}r{r}"));

    /// <summary>The accounts <paramref name="tenant"/>'s store holds afterwards: its seed and what its workers wrote.</summary>
    public static IEnumerable<string> ExpectedNames(string tenant) => WrittenNames(tenant).Prepend(tenant + "-seed");
}
