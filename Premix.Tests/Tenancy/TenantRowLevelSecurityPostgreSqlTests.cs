using Npgsql;
using Premix.Mapping;
using Premix.Providers;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tenancy;

/// <summary>
/// PostgreSQL row-level security under the tenant column (<c>TenantColumn(rowLevelSecurity: true)</c>): the policies the
/// documentation gives, forced, and Premix connected as a role of its own that is neither superuser nor owner (both would
/// bypass them). With Premix's filter lifted, or through raw SQL, the database itself keeps the other tenant's rows out.
/// The role logs in without a password, which the throwaway test server allows (<c>--auth=trust</c>,
/// build/test-databases.sh); against a server that asks for a password (scram) the fixture fails to connect.
/// </summary>
[TestFixture(Engine.PostgreSql)]
[NeedsServerSession("It logs in as a role it creates, which the pooler's user list does not name.")]
public sealed class TenantRowLevelSecurityPostgreSqlTests(Engine engine) : ProviderTest(engine)
{
    private const string Acme = "acme";
    private const string Globex = "globex";
    private const string Policies = """
        ALTER TABLE {0} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE {0} FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON {0}
            USING (tenant_id = current_setting('premix.tenant', true))
            WITH CHECK (tenant_id = current_setting('premix.tenant', true));
        """;

    private string? _role;
    private IPremix? _premix;

    private string Role => _role ?? throw new InvalidOperationException("The role exists from OneTimeSetUp on.");

    private IPremix Premix => _premix ?? throw new InvalidOperationException("Premix exists from OneTimeSetUp on.");

    [OneTimeSetUp]
    public async Task CreatePoliciesAndRoleAsync()
    {
        _role = "premix_rls_" + Guid.NewGuid().ToString("N")[..12];
        await TenantSql.ExecuteAsync(Engine, ConnectionString, SharedTables.Create(Engine)
            + string.Concat(new[] { "shared_orders", "shared_lines", "shared_settings" }.Select(t => string.Format(System.Globalization.CultureInfo.InvariantCulture, Policies, t)))
            + $"CREATE ROLE {Role} LOGIN NOSUPERUSER NOBYPASSRLS;"
            + $"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {Role};"
            + $"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {Role};");
        _premix = Create(rowLevelSecurity: true);
    }

    [OneTimeTearDown]
    public async Task DropRoleAsync()
    {
        if (_premix is not null)
        {
            await _premix.DisposeAsync();
        }

        if (_role is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await TenantSql.ExecuteAsync(Engine, ConnectionString, $"DROP OWNED BY {Role}; DROP ROLE {Role};");
        }
    }

    [SetUp]
    public Task SeedAsync() => TenantSql.ExecuteAsync(Engine, ConnectionString, SharedTables.Seed(Engine));

    [Test]
    public async Task With_the_tenant_filter_lifted_the_policies_still_keep_the_other_tenants_rows_out()
    {
        using var _ = PremixTenant.Begin(Acme);
        await using var uow = Premix.BeginUnitOfWork();
        var orders = uow.Repository<SharedOrder>();
        Assert.Multiple(async () =>
        {
            Assert.That((await orders.Query().AcrossTenants().ToListAsync()).Select(o => o.Id), Is.EquivalentTo(new[] { 1L, 2L }));
            Assert.That(await orders.Query().AcrossTenants().Where(o => o.Id == 3).UpdateAllAsync(s => s.Set(o => o.Total, 0)), Is.EqualTo(0));
        });
        await uow.CommitAsync();
        Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, "SELECT total FROM shared_orders WHERE id = 3"), Is.EqualTo(new[] { "203" }));
    }

    [Test]
    public async Task Raw_sql_in_a_unit_of_work_and_outside_one_sees_only_the_tenants_rows()
    {
        using var _ = PremixTenant.Begin(Globex);
        await using (var uow = Premix.BeginUnitOfWork())
        {
            Assert.That(await uow.Raw("SELECT id FROM shared_orders ORDER BY id").FetchAs<long>(), Is.EqualTo(new[] { 3L, 4L }), "read outside the unit of work's transaction");
            uow.Repository<SharedOrder>().Add(new SharedOrder { Code = "G9", Total = 1 });
            await uow.CommitAsync();
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await Premix.Raw("SELECT code FROM shared_orders ORDER BY id").FetchAs<string>(), Is.EqualTo(new[] { "A1", "G2", "G9" }));
            Assert.That(await Premix.Raw("DELETE FROM shared_orders WHERE tenant_id = 'acme'").ExecuteAsync(), Is.EqualTo(0));
        });
        Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, "SELECT COUNT(*) FROM shared_orders WHERE tenant_id = 'acme'"), Is.EqualTo(new[] { "2" }));
    }

    [Test]
    public async Task Raw_sql_in_the_unit_of_works_transaction_cannot_write_a_row_of_another_tenant()
    {
        using (PremixTenant.Begin(Acme))
        {
            await using var uow = Premix.BeginUnitOfWork();
            uow.Repository<SharedOrder>().Add(new SharedOrder { Code = "A9", Total = 1 });
            await uow.CommitAsync();

            // A raw write joins the unit of work's transaction, which set premix.tenant after its BEGIN.
            Assert.That(() => uow.Raw("INSERT INTO shared_orders (tenant_id, code, total) VALUES ('globex', 'X', 1)").ExecuteAsync(), Throws.InstanceOf<PremixException>().With.Message.Contains("row-level security"));
        }

        Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, "SELECT code FROM shared_orders WHERE id >= 100 ORDER BY id"), Is.EqualTo(new[] { "A9" }));
    }

    [Test]
    public async Task The_tenant_setting_does_not_stay_on_the_pooled_connection()
    {
        using (PremixTenant.Begin(Acme))
        {
            Assert.That(await Premix.Raw("SELECT COUNT(*) FROM shared_orders").FetchSingleAs<long>(), Is.EqualTo(2));
        }

        // The pool holds one connection: the one the tenant's statement used.
        await using var connection = Premix.Provider.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT current_setting('premix.tenant', true)";
        Assert.That(await command.ExecuteScalarAsync() as string, Is.Null.Or.Empty);
    }

    [Test]
    public async Task Without_the_option_the_same_role_sees_no_row_through_the_policies()
    {
        // The control: the policies, not Premix's filter, decide what a lifted query sees; without premix.tenant, nothing.
        await using var plain = Create(rowLevelSecurity: false);
        using var _ = PremixTenant.Begin(Acme);
        await using var uow = plain.BeginUnitOfWork();
        Assert.That(await uow.Repository<SharedOrder>().Query().AcrossTenants().CountAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_tenant_id_that_could_end_the_setting_statement_is_refused_whatever_the_format_allows()
    {
        // A loosened format lets the id through; the setting is a literal in a dollar-quoted block, which the id must not end.
        await using var loose = PremixFactory.Create(p => p.UsePostgreSql(ConnectionString).UseNamingConvention(NamingConvention.SnakeCase)
            .AddModelConfiguration<SharedOrderMap>().AddModelConfiguration<SharedLineMap>()
            .UseTenants(t => { t.TenantIdFormat = new System.Text.RegularExpressions.Regex(@"\A.{1,80}\z"); t.TenantColumn(rowLevelSecurity: true); }));
        foreach (var id in new[] { "x$premix_tenant$; CREATE TABLE rls_injected (x INT); DO $premix_tenant$BEGIN END", "x\\y", "x'y", "x\ty" })
        {
            using var _ = PremixTenant.Begin(id);
            Assert.That(async () =>
            {
                await using var uow = loose.BeginUnitOfWork();
                await uow.Repository<SharedOrder>().Query().AcrossTenants().CountAsync();
            }, Throws.TypeOf<UnknownTenantException>(), id);
        }

        Assert.That(await TenantSql.ColumnAsync(Engine, ConnectionString, "SELECT COUNT(*) FROM pg_tables WHERE tablename = 'rls_injected'"), Is.EqualTo(new[] { "0" }));
    }

    [Test]
    public void Row_level_security_on_another_engine_is_refused_at_startup()
    {
        Assert.That(
            () => PremixFactory.Create(p => p.UseSqlite("Data Source=:memory:").AddModelConfiguration<SharedOrderMap>().AddModelConfiguration<SharedLineMap>().UseTenants(t => t.TenantColumn(rowLevelSecurity: true))),
            Throws.TypeOf<NotSupportedException>().With.Message.Contains("PostgreSQL only"));
    }

    private IPremix Create(bool rowLevelSecurity) => PremixFactory.Create(p => p
        .UsePostgreSql(new NpgsqlConnectionStringBuilder(ConnectionString) { Username = Role, Password = null, MaxPoolSize = 1 }.ConnectionString)
        .UseNamingConvention(NamingConvention.SnakeCase)
        .AddModelConfiguration<SharedOrderMap>().AddModelConfiguration<SharedLineMap>().AddModelConfiguration<SharedSettingMap>()
        .UseTenants(t => t.TenantColumn(rowLevelSecurity)));
}
