using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// A named query filter's values keep names of their own on statements that also bind the entity's properties by name: an
/// entity whose key is named <c>P0</c> (a query value's name) and with a property named <c>F0</c> (a filter value's) reads
/// by key, lists and includes exactly the rows the filter keeps. Rows arranged and checked through plain SQL.
/// </summary>
public sealed class QueryFilterParameterNameTests(Engine engine) : PremixTest(engine)
{
    private readonly Scope _scope = new();
    private IPremix _premix = null!;

    [SetUp]
    public async Task SeedAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new PalletMap(), new CrateMap(_scope), new BinMap(_scope));
        await ExecuteAsync($"INSERT INTO {Q("pallets")} ({Q("Id")}) VALUES (7)");
        foreach (var (key, f0, region) in new[] { (1L, 5L, "eu"), (2L, 5L, "us"), (3L, 1L, "eu") })
        {
            await ExecuteAsync($"INSERT INTO {Q("crates")} ({Q("P0")}, {Q("F0")}, {Q("Region")}, {Q("PalletId")}) VALUES (@key, @f0, @region, 7)", new { key, f0, region });
            await ExecuteAsync($"INSERT INTO {Q("bins")} ({Q("F0_0")}, {Q("Region")}) VALUES (@key, @region)", new { key, region });
        }
    }

    [Test]
    public async Task Get_by_key_applies_a_list_filter_to_an_entity_whose_key_is_named_like_an_expanded_list_parameter()
    {
        // On MySQL a filter's list is bound item by item (@f0_0, @f0_1, ...): a key named F0_0 must not be taken for one.
        await using var uow = _premix.BeginUnitOfWork();
        var bins = uow.Repository<Bin>();

        Assert.That((await bins.GetAsync(1L)).Region, Is.EqualTo("eu"));
        Assert.That(await bins.FindAsync(2L), Is.Null, "a region outside the list");
    }

    [Test]
    public async Task Get_by_key_list_count_and_include_apply_the_filter_to_an_entity_whose_properties_are_named_like_parameters()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var crates = uow.Repository<Crate>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((await crates.GetAsync(1L)).Region, Is.EqualTo("eu"));
            Assert.That(await crates.FindAsync(2L), Is.Null, "another region");
            Assert.That(await crates.FindAsync(3L), Is.Null, "F0 below the minimum");
            Assert.That((await crates.ListAsync()).Select(c => c.P0), Is.EqualTo(new[] { 1L }));
            Assert.That(await crates.CountAsync(), Is.EqualTo(1));
            var pallet = await uow.Repository<Pallet>().Query().Include(p => p.Crates).SingleAsync();
            Assert.That(pallet.Crates.Select(c => c.P0), Is.EqualTo(new[] { 1L }));
        }

        _scope.Region = "us";
        await using var other = _premix.BeginUnitOfWork();
        Assert.That((await other.Repository<Crate>().GetAsync(2L)).Region, Is.EqualTo("us"), "the filter's value is read per call");
    }

    public sealed class Scope
    {
        public string Region { get; set; } = "eu";

        public long MinF0 { get; set; } = 5;

        public List<string> Regions { get; } = ["eu", "apac"];
    }

    public sealed class Bin
    {
        public long F0_0 { get; set; }

        public string Region { get; set; } = "";
    }

    private sealed class BinMap(Scope scope) : ModelConfiguration<Bin>
    {
        public override void Configure(EntityBuilder<Bin> e)
        {
            e.ToTable("bins");
            e.HasKey(b => b.F0_0).IsClientAssigned();
            e.Property(b => b.Region).HasMaxLength(10);
            e.HasQueryFilter("regions", b => scope.Regions.Contains(b.Region));
        }
    }

    public sealed class Pallet
    {
        public long Id { get; set; }

        public List<Crate> Crates { get; set; } = [];
    }

    public sealed class Crate
    {
        public long P0 { get; set; }

        public long F0 { get; set; }

        public string Region { get; set; } = "";

        public long PalletId { get; set; }
    }

    private sealed class PalletMap : ModelConfiguration<Pallet>
    {
        public override void Configure(EntityBuilder<Pallet> e)
        {
            e.ToTable("pallets");
            e.HasKey(p => p.Id).IsClientAssigned();
            e.HasMany(p => p.Crates).WithForeignKey(c => c.PalletId);
        }
    }

    private sealed class CrateMap(Scope scope) : ModelConfiguration<Crate>
    {
        public override void Configure(EntityBuilder<Crate> e)
        {
            e.ToTable("crates");
            e.HasKey(c => c.P0).IsClientAssigned();
            e.Property(c => c.Region).HasMaxLength(10);
            e.HasQueryFilter("region", c => c.Region == scope.Region);
            e.HasQueryFilter("f0", c => c.F0 >= scope.MinF0);
        }
    }
}
