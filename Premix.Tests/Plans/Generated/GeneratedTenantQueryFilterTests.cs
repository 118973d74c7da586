using Premix.Mapping;
using Premix.Plans;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// A tenant column declared between two named query filters, on the generated model, on every engine: the tenant's value is
/// bound from the unit of work in its place among the generated readers' values (a value bound to another filter's parameter
/// would show other rows), for a get, a list and a query lifting each named filter, with nothing compiled. Rows are arranged
/// and checked through plain SQL.
/// </summary>
public sealed class GeneratedTenantQueryFilterTests(Engine engine) : PremixTest(engine)
{
    private const string Acme = "acme";

    private GeneratedModel _generated = null!;
    private IPremix _premix = null!;

    [OneTimeSetUp]
    public void Generate()
    {
        using var built = CreatePremix(p => Register(p));
        _generated = GeneratedModels.Compile(built, $"TenantFiltered{Engine}");
    }

    [SetUp]
    public async Task StartOnTheGeneratedModelAsync()
    {
        _premix = CreatePremix(p => Register(p).UseGeneratedModel(_generated));
        // Created with plain SQL: a Premix serving tenants syncs its schema per tenant, and the column is shared here.
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q("gen_bulbs")}");
        await ExecuteAsync($"CREATE TABLE {Q("gen_bulbs")} ({Q("Id")} BIGINT NOT NULL PRIMARY KEY, {Q("TenantId")} VARCHAR(20) NULL, {Q("Brand")} VARCHAR(20) NOT NULL, {Q("Watts")} INT NOT NULL)");
        // Bulb 1 is the only one every filter keeps for acme: 2 has no brand, 3 is globex's, 4 draws too little.
        foreach (var (id, tenant, brand, watts) in new[] { (1, Acme, "ok", 60), (2, Acme, "none", 60), (3, "globex", "ok", 60), (4, Acme, "ok", 5) })
        {
            await ExecuteAsync(
                $"INSERT INTO {Q("gen_bulbs")} ({Q("Id")}, {Q("TenantId")}, {Q("Brand")}, {Q("Watts")}) VALUES (@id, @tenant, @brand, @watts)",
                new { id, tenant, brand, watts });
        }
    }

    [TearDown]
    public async Task StopAsync() => await _premix.DisposeAsync();

    [Test]
    public async Task The_tenant_value_is_bound_in_its_place_between_the_generated_filter_values_for_gets_lists_and_lifted_filters()
    {
        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("gen_bulbs")}"), Is.EqualTo(4), "the rows are there");
        var compiles = LazyDelegates.CountInThisFlow();
        using var tenant = PremixTenant.Begin(Acme);
        await using var uow = _premix.BeginUnitOfWork();
        var bulbs = uow.Repository<Bulb>();

        var found = await bulbs.FindAsync(1L);
        var hidden = new List<Bulb?>();
        foreach (var id in new[] { 2L, 3L, 4L })
        {
            hidden.Add(await bulbs.FindAsync(id));
        }

        var listed = await bulbs.ListAsync();
        var anyBrand = await bulbs.Query().IgnoreQueryFilter("brand").OrderBy(b => b.Id).ToListAsync();
        var anyWatts = await bulbs.Query().IgnoreQueryFilter("watts").OrderBy(b => b.Id).ToListAsync();
        var allButTenant = await bulbs.Query().IgnoreQueryFilters().OrderBy(b => b.Id).ToListAsync();
        var everyTenant = await bulbs.Query().AcrossTenants().OrderBy(b => b.Id).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(found?.Id, Is.EqualTo(1));
            Assert.That(hidden, Is.All.Null, "a get by key applies both named filters and the tenant's");
            Assert.That(listed.Select(b => b.Id), Is.EqualTo(new[] { 1L }));
            Assert.That(anyBrand.Select(b => b.Id), Is.EqualTo(new[] { 1L, 2L }), "lifting the filter before the tenant's");
            Assert.That(anyWatts.Select(b => b.Id), Is.EqualTo(new[] { 1L, 4L }), "lifting the filter after the tenant's");
            Assert.That(allButTenant.Select(b => b.Id), Is.EqualTo(new[] { 1L, 2L, 4L }), "the tenant's filter is lifted only by AcrossTenants");
            Assert.That(everyTenant.Select(b => b.Id), Is.EqualTo(new[] { 1L, 3L }), "across tenants, both named filters still apply");
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    private static PremixOptionsBuilder Register(PremixOptionsBuilder options) =>
        options.AddModelConfiguration(new BulbMap()).UseTenants(t => t.TenantColumn());

    public sealed class Bulb
    {
        public long Id { get; set; }

        public string? TenantId { get; set; }

        public string Brand { get; set; } = "";

        public int Watts { get; set; }
    }

    /// <summary>Two named filters with a value each, the tenant column's declared between them.</summary>
    public sealed class BulbMap : ModelConfiguration<Bulb>
    {
        public override void Configure(EntityBuilder<Bulb> e)
        {
            e.ToTable("gen_bulbs");
            e.HasKey(b => b.Id).IsClientAssigned();
            e.Property(b => b.Brand).HasMaxLength(20);
            e.Property(b => b.TenantId).HasMaxLength(20);
            e.HasQueryFilter("brand", b => b.Brand != "none");
            e.HasTenantColumn(b => b.TenantId);
            e.HasQueryFilter("watts", b => b.Watts >= 10);
        }
    }
}
