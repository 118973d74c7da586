using System.Linq.Expressions;
using Dapper;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// Named global query filters (HasQueryFilter): every read shape and bulk statement applies them, a query lifts one by name
/// and keeps the others, a filter's captured values are parameters of one SQL text, and misuse fails clearly. Rows are
/// arranged and checked through plain SQL.
/// </summary>
public sealed class QueryFilterTests(Engine engine) : PremixTest(engine)
{
    private static readonly PremixQuery<Gadget, string> CompiledByPrefix =
        PremixQuery.Compile((Query<Gadget> q, string prefix) => q.Where(g => g.Name.StartsWith(prefix)).OrderBy(g => g.Id));

    private static readonly PremixQuery<Gadget> CompiledWithoutActive =
        PremixQuery.Compile((Query<Gadget> q) => q.IgnoreQueryFilter("active").OrderBy(g => g.Id));

    private static readonly PremixQuery<Gadget> CompiledWithUnknownName =
        PremixQuery.Compile((Query<Gadget> q) => q.IgnoreQueryFilter("actve"));

    private static readonly PremixQuery<Shelf> CompiledShelfWithUnknownName =
        PremixQuery.Compile((Query<Shelf> q) => q.IgnoreQueryFilter("actve"));

    private static readonly PremixQuery<Gadget> CompiledOnlyDeletedUnfiltered =
        PremixQuery.Compile((Query<Gadget> q) => q.OnlyDeleted().IgnoreQueryFilters().OrderBy(g => g.Id));

    private readonly RegionScope _scope = new();
    private IPremix _premix = null!;

    [SetUp]
    public async Task SeedAsync()
    {
        // Shelf 1 holds every gadget. Gadget 1 is the only one every filter shows: 2 is inactive, 3 is in another region,
        // 4 is soft-deleted; 5 is inactive, in another region and soft-deleted.
        _scope.Region = "eu";
        _premix = await CreatePremixWithTablesAsync(new ShelfMap(), new GadgetMap(_scope));
        await ExecuteAsync($"INSERT INTO {Q("shelves")} ({Q("Id")}, {Q("Name")}) VALUES (1, 'top')");
        foreach (var (id, name, active, region, deleted) in new[] { (1, "anvil", true, "eu", false), (2, "bolt", false, "eu", false), (3, "cog", true, "us", false), (4, "drill", true, "eu", true), (5, "edge", false, "us", true) })
        {
            await ExecuteAsync(
                $"INSERT INTO {Q("gadgets")} ({Q("Id")}, {Q("Name")}, {Q("IsActive")}, {Q("Region")}, {Q("DeletedAt")}, {Q("ShelfId")}) VALUES (@id, @name, @active, @region, @deleted, 1)",
                new { id, name, active, region, deleted = deleted ? new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) : (DateTime?)null });
        }
    }

    [Test]
    public async Task Every_read_shape_shows_only_the_rows_every_filter_keeps()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var gadgets = uow.Repository<Gadget>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(await gadgets.Query().ToListAsync()), Is.EqualTo(new[] { "anvil" }));
            Assert.That((await gadgets.Query().OrderByDescending(g => g.Id).FirstAsync()).Name, Is.EqualTo("anvil"));
            Assert.That(await gadgets.Query().CountAsync(), Is.EqualTo(1));
            Assert.That(await gadgets.Query().Where(g => g.Name == "bolt").AnyAsync(), Is.False);
            Assert.That(await gadgets.Query().OrderBy(g => g.Id).Select(g => g.Name).ToListAsync(), Is.EqualTo(new[] { "anvil" }));
            Assert.That(await gadgets.FindAsync(1L), Is.Not.Null);
            Assert.That(await gadgets.FindAsync(2L), Is.Null, "inactive");
            Assert.That(await gadgets.FindAsync(3L), Is.Null, "another region");
            Assert.That(await gadgets.FindAsync(4L), Is.Null, "soft-deleted");
            Assert.ThrowsAsync<EntityNotFoundException>(() => gadgets.GetAsync(2L));
            Assert.That(Names(await gadgets.ListAsync()), Is.EqualTo(new[] { "anvil" }));
            Assert.That(await gadgets.CountAsync(), Is.EqualTo(1));
            Assert.That(gadgets.Count(), Is.EqualTo(1));
            Assert.That(Names(await CompiledByPrefix.ToListAsync(gadgets, string.Empty)), Is.EqualTo(new[] { "anvil" }));
            Assert.That(await CompiledByPrefix.CountAsync(gadgets, "b"), Is.EqualTo(0));
        }
    }

    [Test]
    public async Task Get_by_key_of_a_row_the_filters_hide_names_the_filters_without_their_values()
    {
        _scope.Region = "xq";
        await using var uow = _premix.BeginUnitOfWork();

        var error = Assert.ThrowsAsync<EntityNotFoundException>(() => uow.Repository<Gadget>().GetAsync(1L));

        Assert.That(error!.AppliedFilters, Is.EqualTo(new[] { "active", "region", "soft-delete" }));
        Assert.That(error.Message, Does.Contain("query filter(s) \"active\", \"region\", \"soft-delete\" applied").And.Not.Contains("xq"));
        Assert.That(Assert.ThrowsAsync<EntityNotFoundException>(() => uow.Repository<Shelf>().GetAsync(9L))!.Message, Does.Not.Contain("filter"), "an entity without filters");
    }

    [Test]
    public async Task Lifting_a_filter_by_name_shows_its_rows_and_keeps_the_other_filters()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var gadgets = uow.Repository<Gadget>().AsNoTracking();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(await gadgets.Query().IgnoreQueryFilter("active").OrderBy(g => g.Id).ToListAsync()), Is.EqualTo(new[] { "anvil", "bolt" }));
            Assert.That(Names(await gadgets.Query().IgnoreQueryFilter("soft-delete").OrderBy(g => g.Id).ToListAsync()), Is.EqualTo(new[] { "anvil", "drill" }));
            Assert.That(Names(await gadgets.Query().IgnoreQueryFilter("active").IgnoreQueryFilter("soft-delete").OrderBy(g => g.Id).ToListAsync()), Is.EqualTo(new[] { "anvil", "bolt", "drill" }));
            Assert.That(await gadgets.Query().IgnoreQueryFilter("region").CountAsync(), Is.EqualTo(2), "anvil and cog");
            Assert.That(Names(await CompiledWithoutActive.ToListAsync(gadgets)), Is.EqualTo(new[] { "anvil", "bolt" }));
        }
    }

    [Test]
    public async Task IgnoreQueryFilters_lifts_every_filter_but_one_lifted_only_explicitly()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var gadgets = uow.Repository<Gadget>().AsNoTracking();

        var blanket = await gadgets.Query().IgnoreQueryFilters().OrderBy(g => g.Id).ToListAsync();
        var named = await gadgets.Query().IgnoreQueryFilters().IgnoreQueryFilter("region").CountAsync();

        Assert.That(Names(blanket), Is.EqualTo(new[] { "anvil", "bolt", "drill" }), "the region filter stays: only a call naming it lifts it");
        Assert.That(named, Is.EqualTo(5));
    }

    [Test]
    public async Task A_captured_value_is_a_parameter_so_one_cached_sql_text_serves_every_value()
    {
        var cache = ((PremixDatabase)_premix).Runtime.Queries;
        await using var uow = _premix.BeginUnitOfWork();
        var gadgets = uow.Repository<Gadget>().AsNoTracking();

        var europe = Names(await gadgets.Query().IgnoreQueryFilter("active").OrderBy(g => g.Id).ToListAsync());
        var europeSql = gadgets.Query().IgnoreQueryFilter("active").OrderBy(g => g.Id).ToSql();
        var cached = cache.Count;
        _scope.Region = "us";
        var america = Names(await gadgets.Query().IgnoreQueryFilter("active").OrderBy(g => g.Id).ToListAsync());
        var americaSql = gadgets.Query().IgnoreQueryFilter("active").OrderBy(g => g.Id).ToSql();
        var compiledAmerica = Names(await CompiledWithoutActive.ToListAsync(gadgets));
        var translated = cache.Count;
        var described = gadgets.Query().IgnoreQueryFilter("active").OrderBy(g => g.Id).ToSqlWithParameters();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((europe, america), Is.EqualTo((new[] { "anvil", "bolt" }, new[] { "cog" })));
            Assert.That(compiledAmerica, Is.EqualTo(new[] { "cog" }), "a compiled query reads the filter's value per call too");
            Assert.That(americaSql, Is.EqualTo(europeSql), "one SQL text for both regions");
            Assert.That(translated, Is.EqualTo(cached), "the second region translated nothing");
            Assert.That(europeSql, Does.Not.Contain("'eu'").And.Not.Contain("'us'"));
            Assert.That(europeSql, Does.Contain(Q("Region") + " = @p"));
            Assert.That(described, Does.Contain("= 'us'"), "the value travels as a parameter");
        }
    }

    [Test]
    public async Task ToSql_and_the_plans_listing_show_the_filters()
    {
        await using var uow = _premix.BeginUnitOfWork();

        var sql = uow.Repository<Gadget>().Query().ToSql();
        var lifted = uow.Repository<Gadget>().Query().IgnoreQueryFilter("active").ToSql();
        var plans = _premix.DescribePlans();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sql, Does.Contain(Q("IsActive") + " = TRUE").And.Contain(Q("Region") + " = @p0").And.Contain(Q("DeletedAt") + " IS NULL"));
            Assert.That(lifted, Does.Not.Contain(Q("IsActive") + " = TRUE"));
            Assert.That(plans, Does.Contain("QueryFilter \"active\": " + Q("IsActive") + " = TRUE"));
            Assert.That(plans, Does.Contain("QueryFilter \"region\": " + Q("Region") + " = @p0 (lifted only explicitly)"));
            Assert.That(plans, Does.Contain("QueryFilter \"soft-delete\": " + Q("DeletedAt") + " IS NULL"));
        }
    }

    [Test]
    public async Task Include_loads_only_the_children_the_filters_keep()
    {
        await using var uow = _premix.BeginUnitOfWork();

        var shelf = await uow.Repository<Shelf>().Query().Include(s => s.Gadgets).SingleAsync();
        var statements = uow.Repository<Shelf>().Query().Include(s => s.Gadgets).ToSqlStatements();

        Assert.That(Names(shelf.Gadgets), Is.EqualTo(new[] { "anvil" }));
        Assert.That(statements[1], Does.Contain(Q("IsActive") + " = TRUE"));
    }

    [Test]
    public async Task UpdateAll_and_DeleteAll_touch_only_the_rows_the_filters_show()
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var updated = await uow.Repository<Gadget>().Query().Where(g => g.Name != "none").UpdateAllAsync(s => s.Set(g => g.Name, g => g.Name));
            var deleted = await uow.Repository<Gadget>().Query().IgnoreQueryFilter("active").Where(g => g.Name == "bolt" || g.Name == "cog").DeleteAllAsync();
            await uow.CommitAsync();
            Assert.That((updated, deleted), Is.EqualTo((1, 1)));
        }

        await using (var uow = _premix.BeginUnitOfWork())
        {
            await uow.Repository<Gadget>().Query().Where(g => g.Id > 0).UpdateAllAsync(s => s.Set(g => g.Name, "renamed"));
            await uow.CommitAsync();
        }

        var names = (await QueryAsync<string>($"SELECT {Q("Name")} FROM {Q("gadgets")} ORDER BY {Q("Id")}")).ToList();
        var deletedIds = (await QueryAsync<long>($"SELECT {Q("Id")} FROM {Q("gadgets")} WHERE {Q("DeletedAt")} IS NOT NULL ORDER BY {Q("Id")}")).ToList();
        Assert.That(names, Is.EqualTo(new[] { "renamed", "bolt", "cog", "drill", "edge" }));
        Assert.That(deletedIds, Is.EqualTo(new long[] { 2, 4, 5 }), "bolt (inactive, lifted) was soft-deleted; cog (another region) was not");
    }

    [Test]
    public void Lifting_a_name_the_entity_has_no_filter_under_is_a_clear_error()
    {
        using var uow = _premix.BeginUnitOfWork();

        var direct = Assert.Throws<ArgumentException>(() => uow.Repository<Gadget>().Query().IgnoreQueryFilter("Active"));
        var compiled = Assert.ThrowsAsync<ArgumentException>(() => CompiledWithUnknownName.ToListAsync(uow.Repository<Gadget>()));
        var noMarker = Assert.Throws<ArgumentException>(() => uow.Repository<Shelf>().Query().IgnoreQueryFilter("soft-delete"));

        Assert.That(direct!.Message, Does.Contain("Gadget has no query filter named \"Active\"").And.Contain("\"active\", \"region\", \"soft-delete\""));
        Assert.That(compiled!.Message, Does.Contain("no query filter named \"actve\""));
        Assert.That(noMarker!.Message, Does.Contain("Shelf has no query filter named \"soft-delete\"; it declares none."));
    }

    [Test]
    public void Duplicate_reserved_unknown_and_untranslatable_filters_fail_the_start()
    {
        var duplicate = Assert.Throws<MappingException>(() => CreatePremix(p => p.AddModelConfiguration(new BadMap(e =>
        {
            e.HasQueryFilter("active", g => g.IsActive);
            e.HasQueryFilter("Active", g => g.Name != "");
        }))));
        var reserved = Assert.Throws<MappingException>(() => CreatePremix(p => p.AddModelConfiguration(new BadMap(e => e.HasQueryFilter("soft-delete", g => g.IsActive)))));
        var unmapped = Assert.Throws<MappingException>(() => CreatePremix(p => p.AddModelConfiguration(new BadMap(e => e.HasQueryFilter("label", g => g.Label == "x")))));
        var untranslatable = Assert.Throws<MappingException>(() => CreatePremix(p => p.AddModelConfiguration(new BadMap(e =>
        {
            e.HasQueryFilter("upper", g => g.Name.ToUpper() == "A");
            e.HasQueryFilter("fine", g => g.IsActive);
        }))));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(duplicate!.Message, Does.Contain("Gadget: declares 2 query filters named \"active\""));
            Assert.That(reserved!.Message, Does.Contain("\"soft-delete\" is the name of soft delete's filter"));
            Assert.That(unmapped!.Message, Does.Contain("query filter \"label\", which cannot be translated").And.Contain("Gadget.Label is not a mapped column"));
            Assert.That(untranslatable!.Problems, Has.Count.EqualTo(1));
            Assert.That(untranslatable.Message, Does.Contain("query filter \"upper\", which cannot be translated").And.Contain("ToUpper()"));
        }
    }

    [Test]
    public async Task A_subclass_of_a_hierarchy_applies_its_base_filters_and_cannot_declare_its_own()
    {
        var premix = await CreatePremixWithTablesAsync(new VehicleMap());
        await ExecuteAsync($"INSERT INTO {Q("vehicles")} ({Q("Id")}, {Q("Kind")}, {Q("IsActive")}) VALUES (1, 'truck', @yes), (2, 'truck', @no), (3, 'vehicle', @yes)", new { yes = true, no = false });
        await using var uow = premix.BeginUnitOfWork();

        var trucks = await uow.Repository<Truck>().Query().ToListAsync();
        var vehicles = await uow.Repository<Vehicle>().Query().CountAsync();
        var own = Assert.Throws<MappingException>(() => CreatePremix(p => p.AddModelConfiguration(new VehicleMap()).AddModelConfiguration(new TruckMap())));

        Assert.That(trucks.Select(t => t.Id), Is.EqualTo(new[] { 1L }));
        Assert.That(vehicles, Is.EqualTo(2));
        Assert.That(own!.Message, Does.Contain("declares HasQueryFilter, which belong to the whole table"));
    }

    [Test]
    public async Task A_bulk_statement_keeps_tracking_a_row_loaded_with_a_filter_lifted_so_its_later_edit_is_saved()
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var bolt = await uow.Repository<Gadget>().Query().IgnoreQueryFilter("active").Where(g => g.Id == 2).SingleAsync();
            await uow.Repository<Gadget>().Query().Where(g => g.Id == 1).UpdateAllAsync(s => s.Set(g => g.Name, "anvil2"));
            bolt.Name = "bolt2";
            await uow.CommitAsync();
        }

        var names = (await QueryAsync<string>($"SELECT {Q("Name")} FROM {Q("gadgets")} WHERE {Q("Id")} IN (1, 2) ORDER BY {Q("Id")}")).ToList();
        Assert.That(names, Is.EqualTo(new[] { "anvil2", "bolt2" }), "the inactive gadget stayed tracked through the unrelated UpdateAll");
    }

    [Test]
    public async Task A_bulk_statement_keeps_tracking_rows_of_another_region_after_the_captured_value_changed()
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var anvil = await uow.Repository<Gadget>().GetAsync(1L);
            _scope.Region = "us";
            await uow.Repository<Gadget>().Query().Where(g => g.Id == 3).UpdateAllAsync(s => s.Set(g => g.Name, "cog2"));
            anvil.Name = "anvil2";
            await uow.CommitAsync();
        }

        var names = (await QueryAsync<string>($"SELECT {Q("Name")} FROM {Q("gadgets")} WHERE {Q("Id")} IN (1, 3) ORDER BY {Q("Id")}")).ToList();
        Assert.That(names, Is.EqualTo(new[] { "anvil2", "cog2" }));
    }

    [Test]
    public async Task A_bulk_statement_still_forgets_a_tracked_row_it_soft_deleted()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var anvil = await uow.Repository<Gadget>().GetAsync(1L);

        await uow.Repository<Gadget>().Query().Where(g => g.Id == 1).DeleteAllAsync();
        var found = await uow.Repository<Gadget>().FindAsync(1L);

        Assert.That(found, Is.Null);
        Assert.That(anvil.Name, Is.EqualTo("anvil"));
    }

    [Test]
    public void A_compiled_query_lifting_an_unknown_name_on_an_entity_without_filters_is_a_clear_error()
    {
        using var uow = _premix.BeginUnitOfWork();

        var error = Assert.ThrowsAsync<ArgumentException>(() => CompiledShelfWithUnknownName.ToListAsync(uow.Repository<Shelf>()));

        Assert.That(error!.Message, Does.Contain("Shelf has no query filter named \"actve\"; it declares none."));
    }

    [Test]
    public async Task OnlyDeleted_stays_only_deleted_when_the_filters_are_lifted()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var gadgets = uow.Repository<Gadget>().AsNoTracking();

        var blanket = Names(await gadgets.Query().OnlyDeleted().IgnoreQueryFilters().OrderBy(g => g.Id).ToListAsync());
        var named = Names(await gadgets.Query().OnlyDeleted().IgnoreQueryFilter("soft-delete").OrderBy(g => g.Id).ToListAsync());
        var everything = Names(await gadgets.Query().OnlyDeleted().IgnoreQueryFilters().IgnoreQueryFilter("region").OrderBy(g => g.Id).ToListAsync());
        var compiled = Names(await CompiledOnlyDeletedUnfiltered.ToListAsync(gadgets));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(blanket, Is.EqualTo(new[] { "drill" }), "edge is in another region");
            Assert.That(named, Is.EqualTo(new[] { "drill" }));
            Assert.That(everything, Is.EqualTo(new[] { "drill", "edge" }));
            Assert.That(compiled, Is.EqualTo(new[] { "drill" }));
        }
    }

    [Test]
    public async Task A_compiled_query_with_64_values_plus_a_filter_value_translates_a_null_filter_value_apart()
    {
        // 64 constants of its own: the region filter's value is the 65th, past what the null mask of the cache key sees.
        var q = Expression.Parameter(typeof(Query<Gadget>), "q");
        var where = typeof(Query<Gadget>).GetMethod(nameof(Query<Gadget>.Where))!;
        var compiled = PremixQuery.Compile(Expression.Lambda<Func<Query<Gadget>, Query<Gadget>>>(Expression.Call(q, where, Expression.Quote(ManyIds(64))), q));
        await using var uow = _premix.BeginUnitOfWork();
        var gadgets = uow.Repository<Gadget>().AsNoTracking();

        _scope.Region = null!;
        var none = Names(await compiled.ToListAsync(gadgets));
        _scope.Region = "eu";
        var europe = Names(await compiled.ToListAsync(gadgets));

        Assert.That((none, europe), Is.EqualTo((Array.Empty<string>(), new[] { "anvil" })));
    }

    [Test]
    public void Filters_capturing_more_than_64_values_together_fail_the_start()
    {
        var many = ManyIds(40);
        var more = ManyIds(25);

        var error = Assert.Throws<MappingException>(() => CreatePremix(p => p.AddModelConfiguration(new BadMap(e =>
        {
            e.HasQueryFilter("many", many);
            e.HasQueryFilter("more", more);
        }))));

        Assert.That(error!.Message, Does.Contain("Gadget: has query filters that capture 65 values together; they may capture at most 64."));
    }

    // g => g.Id != 1000 && g.Id != 1001 && ...: one captured constant per comparison.
    private static Expression<Func<Gadget, bool>> ManyIds(int count)
    {
        var g = Expression.Parameter(typeof(Gadget), "g");
        Expression body = Expression.NotEqual(Expression.Property(g, nameof(Gadget.Id)), Expression.Constant(1000L));
        for (var i = 1; i < count; i++)
        {
            body = Expression.AndAlso(body, Expression.NotEqual(Expression.Property(g, nameof(Gadget.Id)), Expression.Constant(1000L + i)));
        }

        return Expression.Lambda<Func<Gadget, bool>>(body, g);
    }

    private static string[] Names(IEnumerable<Gadget> gadgets) => gadgets.Select(g => g.Name).ToArray();

    private async Task<IEnumerable<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        return await connection.QueryAsync<T>(sql);
    }

    /// <summary>A service the region filter reads on every query, as a tenant resolver would be.</summary>
    public sealed class RegionScope
    {
        public string Region { get; set; } = "eu";
    }

    public sealed class Shelf
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public List<Gadget> Gadgets { get; set; } = [];
    }

    public sealed class Gadget
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public bool IsActive { get; set; }

        public string Region { get; set; } = "";

        public DateTime? DeletedAt { get; set; }

        public long ShelfId { get; set; }

        public string Label { get; set; } = "";
    }

    private sealed class ShelfMap : ModelConfiguration<Shelf>
    {
        public override void Configure(EntityBuilder<Shelf> e)
        {
            e.ToTable("shelves");
            e.HasKey(s => s.Id).IsClientAssigned();
            e.HasMany(s => s.Gadgets).WithForeignKey(g => g.ShelfId);
        }
    }

    private sealed class GadgetMap(RegionScope scope) : ModelConfiguration<Gadget>
    {
        public override void Configure(EntityBuilder<Gadget> e)
        {
            e.ToTable("gadgets");
            e.HasKey(g => g.Id).IsClientAssigned();
            e.Property(g => g.Name).HasMaxLength(50);
            e.Property(g => g.Region).HasMaxLength(10);
            e.Ignore(g => g.Label);
            e.SoftDelete(g => g.DeletedAt);
            e.HasQueryFilter("active", g => g.IsActive);
            e.HasQueryFilter("region", g => g.Region == scope.Region).LiftOnlyExplicitly();
        }
    }

    public class Vehicle
    {
        public long Id { get; set; }

        public string Kind { get; set; } = "";

        public bool IsActive { get; set; }
    }

    public sealed class Truck : Vehicle
    {
    }

    private sealed class VehicleMap : ModelConfiguration<Vehicle>
    {
        public override void Configure(EntityBuilder<Vehicle> e)
        {
            e.ToTable("vehicles");
            e.HasKey(v => v.Id).IsClientAssigned();
            e.Property(v => v.Kind).HasMaxLength(20);
            e.HasDiscriminator(v => v.Kind).HasValue<Vehicle>("vehicle").HasValue<Truck>("truck");
            e.HasQueryFilter("active", v => v.IsActive);
        }
    }

    private sealed class TruckMap : ModelConfiguration<Truck>
    {
        public override void Configure(EntityBuilder<Truck> e) => e.HasQueryFilter("heavy", t => t.IsActive);
    }

    private sealed class BadMap(Action<EntityBuilder<Gadget>> declare) : ModelConfiguration<Gadget>
    {
        public override void Configure(EntityBuilder<Gadget> e)
        {
            e.ToTable("gadgets");
            e.Ignore(g => g.Label);
            declare(e);
        }
    }
}
