using Premix.Generation;
using Premix.Mapping;
using Premix.Plans;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// Named query filters (HasQueryFilter) in the generated model (issue 19 item 2), on every engine: each value a filter reads
/// (a text constant, a public static property read on every query, a readonly field of the mapping) is printed as C# into the
/// entity's generated code, so gets, lists, queries, counts and an Include through the filtered entity apply the filters, and
/// lift them by name or all at once, with no delegate compiled. A filter changed, added or removed since generation, or whose
/// readonly field holds another value at start, fails the start naming it; one reading a captured object, or a captured local
/// number (another lambda could set it after the start), is refused naming the entity and the filter. Rows are arranged and
/// checked through plain SQL.
/// </summary>
public sealed class GeneratedQueryFilterTests(Engine engine) : PremixTest(engine)
{
    private GeneratedModel _generated = null!;
    private IPremix _premix = null!;

    [OneTimeSetUp]
    public void Generate()
    {
        using var built = CreatePremix(p => Register(p, new LampMap()));
        _generated = GeneratedModels.Compile(built, $"Filtered{Engine}");
    }

    [SetUp]
    public async Task StartOnTheGeneratedModelAsync()
    {
        LampScope.Region = "eu";
        _premix = CreatePremix(p => Register(p, new LampMap()).UseGeneratedModel(_generated));
        await RecreateTablesAsync(_premix);
        await ExecuteAsync($"INSERT INTO {Q("gen_rooms")} ({Q("Id")}, {Q("Name")}) VALUES (1, 'hall')");
        // Lamp 1 is the only one every filter keeps: 2 is off, 3 has no brand, 4 is in another region, 5 draws too little.
        foreach (var (id, name, lit, brand, region, watts) in new[] { (1, "a", true, "acme", "eu", 60), (2, "b", false, "acme", "eu", 60), (3, "c", true, "none", "eu", 60), (4, "d", true, "acme", "us", 60), (5, "e", true, "acme", "eu", 5) })
        {
            await ExecuteAsync(
                $"INSERT INTO {Q("gen_lamps")} ({Q("Id")}, {Q("RoomId")}, {Q("Name")}, {Q("IsLit")}, {Q("Brand")}, {Q("Region")}, {Q("Watts")}) VALUES (@id, 1, @name, @lit, @brand, @region, @watts)",
                new { id, name, lit, brand, region, watts });
        }
    }

    [TearDown]
    public async Task StopAsync() => await _premix.DisposeAsync();

    [Test]
    public async Task Gets_lists_queries_and_an_include_apply_the_generated_filters_and_read_the_static_value_per_query_without_compiling()
    {
        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("gen_lamps")}"), Is.EqualTo(5), "the rows are there");
        var compiles = LazyDelegates.CountInThisFlow();
        await using var uow = _premix.BeginUnitOfWork();
        var lamps = uow.Repository<Lamp>();

        var found = await lamps.FindAsync(1L);
        var hidden = new List<Lamp?>();
        foreach (var id in new[] { 2L, 3L, 4L, 5L })
        {
            hidden.Add(await lamps.FindAsync(id));
        }

        var listed = await lamps.ListAsync();
        var queried = await lamps.Query().Where(l => l.Name != "z").OrderBy(l => l.Id).ToListAsync();
        var counted = await lamps.Query().CountAsync();
        var rooms = await uow.Repository<Room>().Query().Include(r => r.Lamps).ToListAsync();
        LampScope.Region = "us";
        var american = await lamps.Query().ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(found?.Name, Is.EqualTo("a"));
            Assert.That(hidden, Is.All.Null, "a get by key applies every filter");
            Assert.ThrowsAsync<EntityNotFoundException>(() => lamps.GetAsync(2L));
            Assert.That(listed.Select(l => l.Name), Is.EqualTo(new[] { "a" }));
            Assert.That(queried.Select(l => l.Name), Is.EqualTo(new[] { "a" }));
            Assert.That(counted, Is.EqualTo(1));
            Assert.That(rooms.Single().Lamps.Select(l => l.Name), Is.EqualTo(new[] { "a" }), "Include applies the child's filters");
            Assert.That(american.Select(l => l.Name), Is.EqualTo(new[] { "d" }), "the static property is read on every query, not hard-coded");
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    [Test]
    public async Task A_query_lifts_a_generated_filter_by_name_and_all_but_the_explicit_ones_at_once_without_compiling()
    {
        var compiles = LazyDelegates.CountInThisFlow();
        await using var uow = _premix.BeginUnitOfWork();
        var lamps = uow.Repository<Lamp>();

        var unlit = await lamps.Query().IgnoreQueryFilter("lit").OrderBy(l => l.Id).ToListAsync();
        var all = await lamps.Query().IgnoreQueryFilters().OrderBy(l => l.Id).ToListAsync();
        var everywhere = await lamps.Query().IgnoreQueryFilters().IgnoreQueryFilter("region").OrderBy(l => l.Id).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(unlit.Select(l => l.Name), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(all.Select(l => l.Name), Is.EqualTo(new[] { "a", "b", "c", "e" }), "the region filter is lifted only by its name");
            Assert.That(everywhere.Select(l => l.Name), Is.EqualTo(new[] { "a", "b", "c", "d", "e" }));
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    [Test]
    public void A_filter_changed_added_or_removed_since_generation_fails_the_start_naming_it()
    {
        var changed = Assert.Throws<GeneratedModelMismatchException>(() =>
            CreatePremix(p => Register(p, new LampMap { BrandOff = true, WithoutWatts = true, Bright = true }).UseGeneratedModel(_generated)).Dispose());

        Assert.That(changed.Differences, Has.Count.EqualTo(3));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed.Differences[0], Does.StartWith("Lamp's query filter \"brand\" has changed: it is now ").And.Contain("; value 1 = \"off\"; the generated model has ").And.EndWith("; value 1 = \"none\"."));
            Assert.That(changed.Differences[1], Does.StartWith("Lamp declares the query filter \"bright\" (").And.EndWith("), which is not in the generated model."));
            Assert.That(changed.Differences[2], Does.StartWith("Lamp: the generated model has the query filter \"watts\" (").And.Contain("value 1 = ((global::System.Int32)(10))").And.EndWith("), which the mapping no longer declares."));
        }
    }

    [Test]
    public void A_filter_whose_readonly_value_differs_at_start_from_generation_fails_the_start_naming_both_values()
    {
        var changed = Assert.Throws<GeneratedModelMismatchException>(() =>
            CreatePremix(p => Register(p, new LampMap { Minimum = 20 }).UseGeneratedModel(_generated)).Dispose());

        Assert.That(changed.Differences, Has.Count.EqualTo(1));
        Assert.That(changed.Differences[0], Does.StartWith("Lamp's query filter \"watts\" has changed: it is now ")
            .And.Contain("; value 1 = ((global::System.Int32)(20)); the generated model has ")
            .And.EndWith("; value 1 = ((global::System.Int32)(10))."));
    }

    [Test]
    public void A_filter_reading_a_captured_local_number_is_refused_with_the_way_out_as_another_lambda_could_change_it()
    {
        using var built = CreatePremix(p => Register(p, new LampMap { CapturesLocal = true }));

        var error = Assert.Throws<ModelGenerationException>(() => ModelGenerator.Generate(built));

        Assert.That(error.Message, Does.Contain(
            "Lamp: its query filter \"floor\" cannot be written as C#: its value 1 of 1 (").And.Contain(
            ") uses the captured variable floor (now 10), which another lambda of its scope could change after generated code hard-coded it; write it as a constant (a const local) or a readonly field of the mapping class, or read it through a public static property, field or method, which generated code reads on every use; "
            + "for a parameter of the method that makes the lambda, make one lambda per value (as ValueConverters.DateTimeKind does) or build it with Expression.Constant(value), which is written as a literal."));
        Assert.That(error.Message, Does.Not.Contain("\"watts\""), "a readonly field of the mapping is written as its value");
    }

    [Test]
    public void A_filter_reading_a_captured_object_is_refused_naming_the_entity_and_the_filter()
    {
        using var built = CreatePremix(p => Register(p, new LampMap { CapturesHolder = true }));

        var error = Assert.Throws<ModelGenerationException>(() => ModelGenerator.Generate(built));

        Assert.That(error.Message, Does.Contain(
            "Lamp: its query filter \"holder\" cannot be written as C#: its value 1 of 1 (").And.Contain(
            ") uses the captured variable holder, whose value generated code would have to hard-code; read it through a public static property, field or method, which generated code reads on every use."));
        Assert.That(error.Message, Does.Not.Contain("\"brand\""), "only the filter that cannot be printed is named");
    }

    private static PremixOptionsBuilder Register(PremixOptionsBuilder options, LampMap lamps) =>
        options.AddModelConfiguration(new RoomMap()).AddModelConfiguration(lamps);

    /// <summary>The region lamps are shown in: read by the region filter on every query (per async flow, as a request's would be).</summary>
    public static class LampScope
    {
        private static readonly AsyncLocal<string?> Current = new();

        public static string Region
        {
            get => Current.Value ?? "eu";
            set => Current.Value = value;
        }
    }

    public sealed class RegionHolder
    {
        public string Region { get; set; } = "eu";
    }

    public sealed class Room
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public List<Lamp> Lamps { get; set; } = [];
    }

    public sealed class Lamp
    {
        public long Id { get; set; }

        public long RoomId { get; set; }

        public string Name { get; set; } = "";

        public bool IsLit { get; set; }

        public string Brand { get; set; } = "";

        public string Region { get; set; } = "";

        public int Watts { get; set; }
    }

    public sealed class RoomMap : ModelConfiguration<Room>
    {
        public override void Configure(EntityBuilder<Room> e)
        {
            e.ToTable("gen_rooms");
            e.HasKey(r => r.Id).IsClientAssigned();
            e.Property(r => r.Name).HasMaxLength(20);
            e.HasMany(r => r.Lamps).WithForeignKey(l => l.RoomId);
        }
    }

    /// <summary>The lamps' filters; the mismatch and refusal tests change them after generation.</summary>
    public sealed class LampMap : ModelConfiguration<Lamp>
    {
        // Read by the watts filter: readonly, so it cannot change after the constructor, and generated code writes its value.
        private readonly int _minimum = 10;

        public int Minimum
        {
            get => _minimum;
            init => _minimum = value;
        }

        public bool BrandOff { get; init; }

        public bool WithoutWatts { get; init; }

        public bool Bright { get; init; }

        public bool CapturesHolder { get; init; }

        public bool CapturesLocal { get; init; }

        public override void Configure(EntityBuilder<Lamp> e)
        {
            e.ToTable("gen_lamps");
            e.HasKey(l => l.Id).IsClientAssigned();
            e.Property(l => l.Name).HasMaxLength(20);
            e.Property(l => l.Brand).HasMaxLength(20);
            e.Property(l => l.Region).HasMaxLength(10);
            e.HasQueryFilter("lit", l => l.IsLit);
            if (BrandOff)
            {
                e.HasQueryFilter("brand", l => l.Brand != "off");
            }
            else
            {
                e.HasQueryFilter("brand", l => l.Brand != "none");
            }

            e.HasQueryFilter("region", l => l.Region == (LampScope.Region ?? "none")).LiftOnlyExplicitly(); // a value printed with its cast (an operator)
            if (!WithoutWatts)
            {
                e.HasQueryFilter("watts", l => l.Watts >= _minimum);
            }

            if (Bright)
            {
                e.HasQueryFilter("bright", l => l.Watts > 100);
            }

            if (CapturesHolder)
            {
                var holder = new RegionHolder();
                e.HasQueryFilter("holder", l => l.Region == holder.Region);
            }

            if (CapturesLocal)
            {
                var floor = 10;
                e.HasQueryFilter("floor", l => l.Watts >= floor);
            }
        }
    }
}
