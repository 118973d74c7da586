using Premix.Mapping;
using Premix.Testing;

namespace Premix.Tests.Testing.RecordingFake;

/// <summary>The recording fake applies named query filters in memory as the SQL applies them (no database: runs once).</summary>
public sealed class RecordingFakeQueryFilterTests
{
    private static readonly PremixQuery<Crate> CompiledCrateWithUnknownName =
        PremixQuery.Compile((Query<Crate> q) => q.IgnoreQueryFilter("actve"));

    [Test]
    public async Task Queries_get_by_key_and_includes_of_the_fake_hide_the_rows_a_filter_hides_until_it_is_lifted()
    {
        using var fake = FakePremix.Create(p => p.AddModelConfiguration<CrateMap>().AddModelConfiguration<ToyMap>());
        fake.Seed(new Crate { Id = 1 });
        fake.Seed(new Toy { Id = 1, CrateId = 1, Name = "kite", IsActive = true }, new Toy { Id = 2, CrateId = 1, Name = "yoyo", IsActive = false });
        await using var uow = fake.BeginUnitOfWork();
        var toys = uow.Repository<Toy>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((await toys.Query().ToListAsync()).Select(t => t.Name), Is.EqualTo(new[] { "kite" }));
            Assert.That(await toys.FindAsync(2L), Is.Null);
            Assert.That(await toys.CountAsync(), Is.EqualTo(1));
            Assert.That(await toys.Query().IgnoreQueryFilter("active").CountAsync(), Is.EqualTo(2));
            Assert.That((await uow.Repository<Crate>().Query().Include(c => c.Toys).SingleAsync()).Toys.Select(t => t.Name), Is.EqualTo(new[] { "kite" }));
            Assert.Throws<ArgumentException>(() => toys.Query().IgnoreQueryFilter("inactive"));
        }
    }

    [Test]
    public async Task The_fakes_bulk_statement_keeps_tracking_a_row_loaded_with_a_filter_lifted()
    {
        using var fake = FakePremix.Create(p => p.AddModelConfiguration<CrateMap>().AddModelConfiguration<ToyMap>());
        fake.Seed(new Toy { Id = 1, CrateId = 1, Name = "kite", IsActive = true }, new Toy { Id = 2, CrateId = 1, Name = "yoyo", IsActive = false });
        await using (var uow = fake.BeginUnitOfWork())
        {
            var yoyo = await uow.Repository<Toy>().Query().IgnoreQueryFilter("active").Where(t => t.Id == 2).SingleAsync();
            await uow.Repository<Toy>().Query().Where(t => t.Id == 1).UpdateAllAsync(s => s.Set(t => t.Name, "kite2"));
            yoyo.Name = "yoyo2";
            await uow.CommitAsync();
        }

        await using var check = fake.BeginUnitOfWork();
        Assert.That((await check.Repository<Toy>().Query().IgnoreQueryFilters().OrderBy(t => t.Id).ToListAsync()).Select(t => t.Name), Is.EqualTo(new[] { "kite2", "yoyo2" }));
    }

    [Test]
    public void The_fakes_compiled_query_lifting_an_unknown_name_on_an_entity_without_filters_is_a_clear_error()
    {
        using var fake = FakePremix.Create(p => p.AddModelConfiguration<CrateMap>().AddModelConfiguration<ToyMap>());
        using var uow = fake.BeginUnitOfWork();

        var error = Assert.ThrowsAsync<ArgumentException>(() => CompiledCrateWithUnknownName.ToListAsync(uow.Repository<Crate>()));

        Assert.That(error!.Message, Does.Contain("Crate has no query filter named \"actve\""));
    }

    public sealed class Crate
    {
        public long Id { get; set; }

        public List<Toy> Toys { get; set; } = [];
    }

    public sealed class Toy
    {
        public long Id { get; set; }

        public long CrateId { get; set; }

        public string Name { get; set; } = "";

        public bool IsActive { get; set; }
    }

    private sealed class CrateMap : ModelConfiguration<Crate>
    {
        public override void Configure(EntityBuilder<Crate> e)
        {
            e.HasKey(c => c.Id).IsClientAssigned();
            e.HasMany(c => c.Toys).WithForeignKey(t => t.CrateId);
        }
    }

    private sealed class ToyMap : ModelConfiguration<Toy>
    {
        public override void Configure(EntityBuilder<Toy> e)
        {
            e.HasKey(t => t.Id).IsClientAssigned();
            e.HasQueryFilter("active", t => t.IsActive);
        }
    }
}
