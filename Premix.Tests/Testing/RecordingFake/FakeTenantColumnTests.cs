using Microsoft.Extensions.DependencyInjection;
using Premix.Mapping;
using Premix.Providers.PostgreSql;
using Premix.Testing;

namespace Premix.Tests.Testing.RecordingFake;

/// <summary>
/// The recording fake binds the tenant of a tenant column (<c>HasTenantColumn</c>) as Premix does: with
/// <c>UseTenants(t => t.TenantColumn())</c> a unit of work belongs to the ambient tenant or the one an
/// <see cref="ITenantResolver"/> names; its reads see only that tenant's rows, its inserts get the tenant, another
/// tenant's rows cannot be changed, and no tenant fails closed with Premix's own exceptions. Arranged with
/// <see cref="FakePremix.Seed{T}"/> and asserted with <see cref="FakePremix.Rows{T}"/>, the fake's plain SQL.
/// (No database: runs once.)
/// </summary>
public sealed class FakeTenantColumnTests
{
    private static readonly PremixQuery<FakeShelfItem> ItemsOnShelfOne = PremixQuery.Compile((Query<FakeShelfItem> q) => q.Where(i => i.ShelfId == 1));

    [Test]
    public async Task Reads_see_only_the_tenants_rows_by_key_list_count_query_and_include()
    {
        using var fake = SeededFake();
        using (PremixTenant.Begin("acme"))
        {
            await using var uow = fake.BeginUnitOfWork();
            var items = uow.Repository<FakeShelfItem>();

            Assert.That((await items.ListAsync()).Select(i => i.Id), Is.EqualTo(new[] { 1L, 3L }));
            Assert.That(await items.CountAsync(), Is.EqualTo(2));
            Assert.That((await items.GetAsync(1L)).TenantId, Is.EqualTo("acme"));
            Assert.That(await items.FindAsync(2L), Is.Null, "globex's row is not found by key");
            Assert.ThrowsAsync<EntityNotFoundException>(() => items.GetAsync(2L));
            Assert.That(await items.Query().Where(i => i.ShelfId == 1).Select(i => i.Id).ToListAsync(), Is.EqualTo(new[] { 1L }));
            Assert.That(await items.Query().Where(i => i.Id == 2).AnyAsync(), Is.False);
            var shelf = await uow.Repository<FakeShelf>().Query().Where(s => s.Id == 1).Include(s => s.Items).SingleAsync();
            Assert.That(shelf.Items.Select(i => i.Id), Is.EqualTo(new[] { 1L }), "an Include loads only the tenant's children");
        }

        using (PremixTenant.Begin("globex"))
        {
            await using var uow = fake.BeginUnitOfWork();
            Assert.That((await uow.Repository<FakeShelfItem>().ListAsync()).Select(i => i.Id), Is.EqualTo(new[] { 2L }), "the other tenant sees its own");
        }
    }

    [Test]
    public async Task An_insert_gets_the_tenant_and_one_carrying_another_tenant_is_refused_with_nothing_stored()
    {
        using var fake = SeededFake();
        using (PremixTenant.Begin("acme"))
        {
            await using var uow = fake.BeginUnitOfWork();
            uow.Repository<FakeShelfItem>().Add(new FakeShelfItem { ShelfId = 5 });
            await uow.CommitAsync();

            await using var other = fake.BeginUnitOfWork();
            other.Repository<FakeShelfItem>().Add(new FakeShelfItem { ShelfId = 6, TenantId = "globex" });
            var error = Assert.ThrowsAsync<TenantMismatchException>(() => other.CommitAsync());
            Assert.That(error!.Message, Does.Contain("carries another tenant").And.Not.Contain("globex"), "the other id is not repeated");
        }

        Assert.That(fake.Rows<FakeShelfItem>().Single(i => i.ShelfId == 5).TenantId, Is.EqualTo("acme"));
        Assert.That(fake.Rows<FakeShelfItem>().Any(i => i.ShelfId == 6), Is.False, "nothing of the refused commit was stored");
    }

    [Test]
    public async Task Another_tenants_row_cannot_be_changed_by_a_guessed_key_a_stub_or_a_bulk_statement()
    {
        using var fake = SeededFake();
        using (PremixTenant.Begin("acme"))
        {
            await using (var uow = fake.BeginUnitOfWork())
            {
                uow.Repository<FakeShelfItem>().Update(new FakeShelfItem { Id = 2, ShelfId = 9, TenantId = "acme" }); // globex's key, claiming acme
                Assert.ThrowsAsync<ConcurrencyException>(() => uow.CommitAsync(), "the update's WHERE carries the tenant: no row matched");
            }

            await using (var uow = fake.BeginUnitOfWork())
            {
                uow.Repository<FakeShelfItem>().HardDelete(new FakeShelfItem { Id = 2 }); // a stub gets the current tenant
                Assert.ThrowsAsync<ConcurrencyException>(() => uow.CommitAsync());
            }

            await using (var uow = fake.BeginUnitOfWork())
            {
                Assert.That(await uow.Repository<FakeShelfItem>().Query().Where(i => i.ShelfId > 0).UpdateAllAsync(s => s.Set(i => i.ShelfId, 7)), Is.EqualTo(2), "acme's two rows");
                Assert.ThrowsAsync<NotSupportedException>(() => uow.Repository<FakeShelfItem>().Query().Where(i => i.ShelfId > 0).UpdateAllAsync(s => s.Set(i => i.TenantId, "globex")), "rows never move to another tenant");
                Assert.That(await uow.Repository<FakeShelfItem>().Query().Where(i => i.ShelfId > 0).HardDeleteAllAsync(), Is.EqualTo(2));
                await uow.CommitAsync();
            }
        }

        var globex = fake.Rows<FakeShelfItem>().Single();
        Assert.That((globex.Id, globex.ShelfId, globex.TenantId), Is.EqualTo((2L, 1L, "globex")), "only globex's row is left, unchanged");
    }

    [Test]
    public async Task Another_tenants_entity_loaded_AcrossTenants_is_refused_when_changed_and_forgotten_by_a_bulk_statements_refresh()
    {
        using var fake = SeededFake();
        using (PremixTenant.Begin("acme"))
        {
            await using (var uow = fake.BeginUnitOfWork())
            {
                var globex = await uow.Repository<FakeShelfItem>().Query().AcrossTenants().Where(i => i.Id == 2).SingleAsync();
                globex.ShelfId = 9;
                Assert.ThrowsAsync<TenantMismatchException>(() => uow.CommitAsync());
            }

            await using (var uow = fake.BeginUnitOfWork())
            {
                var items = uow.Repository<FakeShelfItem>();
                var globex = await items.Query().AcrossTenants().Where(i => i.Id == 2).SingleAsync();
                Assert.That(await items.Query().Where(i => i.ShelfId > 0).UpdateAllAsync(s => s.Set(i => i.ShelfId, 7)), Is.EqualTo(2), "acme's two rows");
                // The refresh reads only the tenant's rows, so globex's entity is forgotten: a change to it is not written (a
                // tracked one would be refused with TenantMismatchException, as above).
                globex.ShelfId = 42;
                await uow.CommitAsync();
            }
        }

        Assert.That(fake.Rows<FakeShelfItem>().OrderBy(i => i.Id).Select(i => (i.Id, i.ShelfId, i.TenantId)), Is.EqualTo(new[] { (1L, 7L, "acme"), (2L, 1L, "globex"), (3L, 7L, "acme") }));
    }

    [Test]
    public async Task An_upsert_or_insert_or_ignore_on_a_target_without_the_tenant_is_refused_with_nothing_stored()
    {
        using var fake = FakePremix.Create(p => p.AddModelConfiguration<FakeTenantTagMap>().UseTenants(t => t.TenantColumn()));
        fake.Seed(new FakeTenantTag { Code = "a", Label = "globex's", TenantId = "globex" });
        using (PremixTenant.Begin("acme"))
        {
            await using (var uow = fake.BeginUnitOfWork())
            {
                uow.Repository<FakeTenantTag>().Upsert(new FakeTenantTag { Code = "a", Label = "acme's" }); // on the key alone: globex's row
                Assert.That(() => uow.CommitAsync(), Throws.InvalidOperationException.With.Message.Contains("conflict target without its tenant column"));
            }

            await using (var uow = fake.BeginUnitOfWork())
            {
                uow.Repository<FakeTenantTag>().InsertOrIgnore(new FakeTenantTag { Code = "b", Label = "acme's" });
                Assert.That(() => uow.CommitAsync(), Throws.InvalidOperationException.With.Message.Contains("conflict target without its tenant column"));
            }
        }

        Assert.That(fake.Rows<FakeTenantTag>().Select(t => (t.Code, t.Label, t.TenantId)), Is.EqualTo(new[] { ("a", "globex's", "globex") }), "nothing was stored");
    }

    [Test]
    public async Task A_compiled_query_sees_only_the_tenants_rows()
    {
        using var fake = SeededFake();
        using var acme = PremixTenant.Begin("acme");
        await using var uow = fake.BeginUnitOfWork();

        Assert.That((await ItemsOnShelfOne.ToListAsync(uow.Repository<FakeShelfItem>())).Select(i => i.Id), Is.EqualTo(new[] { 1L }), "globex's item 2 is on shelf 1 too");
    }

    [Test]
    public async Task The_tenant_filter_is_lifted_only_by_AcrossTenants()
    {
        using var fake = SeededFake();
        using var acme = PremixTenant.Begin("acme");
        await using var uow = fake.BeginUnitOfWork();
        var items = uow.Repository<FakeShelfItem>();

        Assert.That(await items.Query().AcrossTenants().CountAsync(), Is.EqualTo(3));
        Assert.That(await items.Query().IgnoreQueryFilters().CountAsync(), Is.EqualTo(2), "IgnoreQueryFilters keeps the tenant's");
        var refused = Assert.Throws<InvalidOperationException>(() => items.Query().IgnoreQueryFilter("tenant"));
        Assert.That(refused!.Message, Does.Contain("AcrossTenants()"));
    }

    [Test]
    public async Task Without_a_tenant_nothing_runs_and_nothing_is_stored()
    {
        using var fake = SeededFake();
        var required = Assert.Throws<TenantRequiredException>(() => fake.BeginUnitOfWork());
        Assert.That(required!.Message, Does.Contain("PremixTenant.Begin"), "the unit of work is refused when created, as Premix refuses it");
        Assert.Throws<TenantRequiredException>(() => fake.Raw("SELECT 1"), "and a raw statement");

        // Without UseTenants a tenant-column entity has no tenant to bind: its reads and writes fail closed.
        using var untenanted = FakePremix.Create(p => p.AddModelConfiguration<FakeShelfMap>().AddModelConfiguration<FakeShelfItemMap>());
        untenanted.Seed(new FakeShelfItem { Id = 1, ShelfId = 1, TenantId = "acme" });
        await using var uow = untenanted.BeginUnitOfWork();
        Assert.ThrowsAsync<TenantRequiredException>(() => uow.Repository<FakeShelfItem>().ListAsync());
        Assert.ThrowsAsync<TenantRequiredException>(() => uow.Repository<FakeShelfItem>().FindAsync(1L));
        Assert.ThrowsAsync<TenantRequiredException>(() => uow.Repository<FakeShelfItem>().Query().CountAsync());
        Assert.That(await uow.Repository<FakeShelfItem>().Query().AcrossTenants().CountAsync(), Is.EqualTo(1), "AcrossTenants needs no tenant");
        uow.Repository<FakeShelfItem>().Add(new FakeShelfItem { Id = 2, ShelfId = 1 });
        Assert.ThrowsAsync<TenantRequiredException>(() => uow.CommitAsync());
        Assert.That(untenanted.Rows<FakeShelfItem>().Select(i => i.Id), Is.EqualTo(new[] { 1L }), "nothing was stored");
    }

    [Test]
    public async Task A_scoped_unit_of_work_takes_the_tenant_the_resolver_names_and_an_ambient_tenant_may_not_contradict_it()
    {
        await using var services = new ServiceCollection().AddSingleton<ITenantResolver>(new FixedTenant("globex")).BuildServiceProvider();
        using var fake = SeededFake(services);

        await using (var uow = fake.BeginScopedUnitOfWork())
        {
            Assert.That((await uow.Repository<FakeShelfItem>().ListAsync()).Select(i => i.Id), Is.EqualTo(new[] { 2L }));
        }

        using var acme = PremixTenant.Begin("acme");
        Assert.Throws<TenantConflictException>(() => fake.BeginScopedUnitOfWork());
    }

    [Test]
    public async Task An_explicit_unit_of_work_takes_the_ambient_tenant_only_as_Premix_s_BeginUnitOfWork_does()
    {
        await using var services = new ServiceCollection().AddSingleton<ITenantResolver>(new FixedTenant("globex")).BuildServiceProvider();
        using var fake = SeededFake(services);

        Assert.Throws<TenantRequiredException>(() => fake.BeginUnitOfWork(), "the resolver is the scope's, not consulted here");
        using var acme = PremixTenant.Begin("acme"); // background work for another tenant than the request's: no conflict
        await using var uow = fake.BeginUnitOfWork();
        Assert.That((await uow.Repository<FakeShelfItem>().ListAsync()).Select(i => i.Id), Is.EquivalentTo(new[] { 1L, 3L }));
    }

    [Test]
    public void Misuse_is_refused_a_row_seeded_without_its_tenant_a_tenant_id_of_another_format_and_a_database_or_schema_per_tenant()
    {
        using var fake = FakePremix.Create(p => p.AddModelConfiguration<FakeShelfItemMap>().UseTenants(t => t.TenantColumn()));
        var seeded = Assert.Throws<ArgumentException>(() => fake.Seed(new FakeShelfItem { Id = 1, ShelfId = 1 }));
        Assert.That(seeded!.Message, Does.Contain("FakeShelfItem.TenantId"));
        Assert.That(fake.Rows<FakeShelfItem>(), Is.Empty);
        using (PremixTenant.Begin("Acme"))
        {
            Assert.Throws<UnknownTenantException>(() => fake.BeginUnitOfWork(), "a tenant id outside TenantIdFormat (lowercase by default), as Premix refuses it");
        }

        var perDatabase = Assert.Throws<NotSupportedException>(() => FakePremix.Create(p => p.AddModelConfiguration<FakeShelfItemMap>().UseTenants(t => t.DatabasePerTenant(_ => "Data Source=x.db"))));
        Assert.That(perDatabase!.Message, Does.Contain("one set of tables").And.Contain("TenantColumn()"));
        // With PostgreSQL's plans (no connection opened): the in-memory provider refuses a schema per tenant at build already.
        var perSchema = Assert.Throws<NotSupportedException>(() => FakePremix.Create(p => p.UsePostgreSql("Host=localhost;Database=none").AddModelConfiguration<FakeShelfItemMap>().UseTenants(t => t.SchemaPerTenant(tenant => "t_" + tenant))));
        Assert.That(perSchema!.Message, Does.Contain("schema of its own").And.Contain("TenantColumn()"));
    }

    private static FakePremix SeededFake(IServiceProvider? services = null)
    {
        var fake = FakePremix.Create(p => p.AddModelConfiguration<FakeShelfMap>().AddModelConfiguration<FakeShelfItemMap>().UseTenants(t => t.TenantColumn()), services: services);
        fake.Seed(new FakeShelf { Id = 1 }, new FakeShelf { Id = 2 });
        fake.Seed(
            new FakeShelfItem { Id = 1, ShelfId = 1, TenantId = "acme" },
            new FakeShelfItem { Id = 2, ShelfId = 1, TenantId = "globex" },
            new FakeShelfItem { Id = 3, ShelfId = 2, TenantId = "acme" });
        return fake;
    }

    private sealed class FixedTenant(string tenant) : ITenantResolver
    {
        public string? ResolveTenant() => tenant;
    }
}

public sealed class FakeShelf
{
    public long Id { get; set; }

    public List<FakeShelfItem> Items { get; set; } = [];
}

public sealed class FakeShelfItem
{
    public long Id { get; set; }

    public long ShelfId { get; set; }

    public string? TenantId { get; set; }
}

public sealed class FakeShelfMap : ModelConfiguration<FakeShelf>
{
    public override void Configure(EntityBuilder<FakeShelf> e) => e.HasMany(s => s.Items).WithForeignKey(i => i.ShelfId);
}

public sealed class FakeShelfItemMap : ModelConfiguration<FakeShelfItem>
{
    public override void Configure(EntityBuilder<FakeShelfItem> e) => e.HasTenantColumn(i => i.TenantId);
}

public sealed class FakeTenantTag
{
    public string Code { get; set; } = "";

    public string Label { get; set; } = "";

    public string? TenantId { get; set; }
}

public sealed class FakeTenantTagMap : ModelConfiguration<FakeTenantTag>
{
    public override void Configure(EntityBuilder<FakeTenantTag> e)
    {
        e.HasKey(t => t.Code);
        e.HasTenantColumn(t => t.TenantId);
    }
}
