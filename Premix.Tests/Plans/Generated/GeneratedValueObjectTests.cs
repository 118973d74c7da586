using Premix.Mapping;
using Premix.Plans;
using Premix.Tests.Infrastructure;
using Premix.Tests.Types;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// Value objects (<c>Owns</c>) in the generated model (issue 19 item 2), on every engine, in snake_case: <see cref="PurchaseMap"/>'s
/// required record (made through its constructor) and optional class (through its setters), and <see cref="TenantMap"/>'s
/// value objects inside value objects. Inserts, gets, queries by member, updates of one member and NULL value objects read
/// and write through the generated code with no delegate compiled, and plain SQL sees the columns. A value object changed
/// since generation fails the start, naming it.
/// </summary>
public sealed class GeneratedValueObjectTests(Engine engine) : PremixTest(engine)
{
    private GeneratedModel _generated = null!;
    private GeneratedModel _requiredShipping = null!;
    private IPremix _premix = null!;

    private string Purchases => Q(PurchaseMap.Table);

    private string Tenants => Q(TenantMap.Table);

    [OneTimeSetUp]
    public void Generate()
    {
        using var built = CreatePremix(p => Register(p, new PurchaseMap()));
        using var required = CreatePremix(p => Register(p, new RequiredShippingPurchaseMap()));
        var models = GeneratedModels.CompileAll([(built, $"Owned{Engine}"), (required, $"OwnedRequired{Engine}")]);
        (_generated, _requiredShipping) = (models[0], models[1]);
    }

    [SetUp]
    public async Task StartOnTheGeneratedModelAsync()
    {
        _premix = CreatePremix(p => Register(p, new PurchaseMap()).UseGeneratedModel(_generated));
        await RecreateTablesAsync(_premix);
    }

    [TearDown]
    public async Task StopAsync() => await _premix.DisposeAsync();

    [Test]
    public async Task Value_objects_are_inserted_read_queried_by_member_and_updated_member_by_member_without_compiling()
    {
        var compiles = LazyDelegates.CountInThisFlow();
        var ada = new Purchase { Name = "Ada", Total = new Money(12.3456m, "EUR"), Shipping = new PostalAddress { Street = "Main 1", City = "Oslo", Floor = 3 } };
        var bob = new Purchase { Name = "Bob", Total = new Money(7m, "USD"), Shipping = null };
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Purchase>().Add(ada);
            uow.Repository<Purchase>().Add(bob);
            await uow.CommitAsync();
        }

        var stored = await ScalarAsync<long>(
            $"SELECT COUNT(*) FROM {Purchases} WHERE {Q("id")} = @id AND {Q("total_amount")} = 12.3456 AND {Q("total_currency")} = 'EUR' AND {Q("shipping_street")} = 'Main 1' AND {Q("shipping_city")} = 'Oslo' AND {Q("shipping_floor")} = 3",
            new { id = ada.Id });
        var nullShipping = await ScalarAsync<long>(
            $"SELECT COUNT(*) FROM {Purchases} WHERE {Q("id")} = @id AND {Q("shipping_street")} IS NULL AND {Q("shipping_city")} IS NULL AND {Q("shipping_floor")} IS NULL",
            new { id = bob.Id });

        Purchase loadedAda, loadedBob;
        IReadOnlyList<Purchase> euros, oslo;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            loadedAda = await uow.Repository<Purchase>().GetAsync(ada.Id);
            loadedBob = await uow.Repository<Purchase>().GetAsync(bob.Id);
            var currency = "EUR";
            euros = await uow.Repository<Purchase>().Query().Where(p => p.Total.Currency == currency).ToListAsync();
            oslo = await uow.Repository<Purchase>().Query().Where(p => p.Shipping!.City == "Oslo" && p.Total.Amount > 10m).ToListAsync();
            loadedAda.Shipping!.City = "Bergen"; // one member changed in place
            loadedBob.Shipping = new PostalAddress { Street = "Side 2" };
            // Written behind the unit of work's back: a commit that wrote more than the changed member would overwrite them.
            await ExecuteAsync($"UPDATE {Purchases} SET {Q("total_currency")} = 'XXX', {Q("shipping_floor")} = 9 WHERE {Q("id")} = @id", new { id = ada.Id });
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored, Is.EqualTo(1), "the insert writes each member into its column");
            Assert.That(nullShipping, Is.EqualTo(1), "a null value object writes NULL into each of its columns");
            Assert.That(loadedAda.Total, Is.EqualTo(new Money(12.3456m, "EUR")), "a record made through its constructor");
            Assert.That((loadedAda.Shipping.Street, loadedAda.Shipping.City, loadedAda.Shipping.Floor), Is.EqualTo(("Main 1", "Bergen", (int?)3)), "a class made through its setters");
            Assert.That(loadedBob.Total, Is.EqualTo(new Money(7m, "USD")));
            Assert.That(euros.Select(p => p.Id), Is.EqualTo(new[] { ada.Id }), "a query compares a member with a captured value");
            Assert.That(oslo.Select(p => p.Id), Is.EqualTo(new[] { ada.Id }), "a query compares members of both value objects");
            Assert.That(
                await ScalarAsync<long>($"SELECT COUNT(*) FROM {Purchases} WHERE {Q("id")} = @id AND {Q("shipping_city")} = 'Bergen' AND {Q("total_currency")} = 'XXX' AND {Q("shipping_floor")} = 9", new { id = ada.Id }),
                Is.EqualTo(1),
                "only the changed member's column is written");
            Assert.That(
                await ScalarAsync<long>($"SELECT COUNT(*) FROM {Purchases} WHERE {Q("id")} = @id AND {Q("shipping_street")} = 'Side 2' AND {Q("shipping_city")} IS NULL", new { id = bob.Id }),
                Is.EqualTo(1),
                "a value object put where there was none is written");
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    [Test]
    public async Task A_value_object_read_as_null_from_NULL_columns_stays_null_and_an_equal_new_object_writes_nothing_without_compiling()
    {
        await ExecuteAsync($"INSERT INTO {Purchases} ({Q("name")}, {Q("total_amount")}, {Q("total_currency")}) VALUES ('Cy', 5, 'NOK')");
        var id = await ScalarAsync<long>($"SELECT {Q("id")} FROM {Purchases} WHERE {Q("name")} = 'Cy'");
        var compiles = LazyDelegates.CountInThisFlow();

        Purchase loaded;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            loaded = await uow.Repository<Purchase>().GetAsync(id);
            loaded.Total = new Money(5m, "NOK"); // another instance, equal members
            await ExecuteAsync($"UPDATE {Purchases} SET {Q("total_currency")} = 'SEK' WHERE {Q("id")} = @id", new { id });
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(loaded.Shipping, Is.Null, "an optional value object whose columns are all NULL is null");
            Assert.That(await ScalarAsync<string>($"SELECT {Q("total_currency")} FROM {Purchases} WHERE {Q("id")} = @id", new { id }), Is.EqualTo("SEK"), "an equal object is no change");
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    [Test]
    public async Task Value_objects_inside_value_objects_are_written_read_queried_and_changed_in_place_without_compiling()
    {
        var compiles = LazyDelegates.CountInThisFlow();
        var ada = new Tenant
        {
            Name = "Ada",
            Home = new Dwelling { Street = "Main 1", Geo = new Coordinates(59.913868m, 10.75m), Entrance = new Entrance { Code = "A1" } },
            Office = new Workplace("HQ", new Coordinates(60.5m, 5.25m)),
        };
        var bob = new Tenant { Name = "Bob", Home = new Dwelling { Street = "Side 2" }, Office = null };
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Tenant>().Add(ada);
            uow.Repository<Tenant>().Add(bob);
            await uow.CommitAsync();
        }

        Tenant loadedAda, loadedBob;
        IReadOnlyList<Tenant> north;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            loadedAda = await uow.Repository<Tenant>().GetAsync(ada.Id);
            loadedBob = await uow.Repository<Tenant>().GetAsync(bob.Id);
            north = await uow.Repository<Tenant>().Query().Where(t => t.Home.Geo!.Lat > 50m && t.Office!.Geo.Lng < 6m).ToListAsync();
            loadedAda.Home.Entrance!.Code = "B2"; // changed in place two levels down
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(
                await ScalarAsync<long>($"SELECT COUNT(*) FROM {Tenants} WHERE {Q("id")} = @id AND {Q("home_geo_lat")} = 59.913868 AND {Q("office_name")} = 'HQ' AND {Q("office_geo_lng")} = 5.25 AND {Q("home_entrance_code")} = 'B2'", new { id = ada.Id }),
                Is.EqualTo(1),
                "the nested members' columns, the changed one written");
            Assert.That(
                await ScalarAsync<long>($"SELECT COUNT(*) FROM {Tenants} WHERE {Q("id")} = @id AND {Q("home_geo_lat")} IS NULL AND {Q("office_name")} IS NULL AND {Q("office_geo_lat")} IS NULL", new { id = bob.Id }),
                Is.EqualTo(1),
                "null value objects, nested or not, write NULL columns");
            Assert.That((loadedAda.Home.Street, loadedAda.Home.Geo, loadedAda.Office), Is.EqualTo(("Main 1", (Coordinates?)new Coordinates(59.913868m, 10.75m), (Workplace?)new Workplace("HQ", new Coordinates(60.5m, 5.25m)))));
            Assert.That((loadedBob.Home.Street, loadedBob.Home.Geo, loadedBob.Home.Entrance, loadedBob.Office), Is.EqualTo(("Side 2", (Coordinates?)null, (Entrance?)null, (Workplace?)null)));
            Assert.That(north.Select(t => t.Id), Is.EqualTo(new[] { ada.Id }), "a query compares nested members");
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    [Test]
    public void A_value_object_changed_since_generation_fails_the_start_naming_it()
    {
        var error = Assert.Throws<GeneratedModelMismatchException>(() => CreatePremix(p => Register(p, new PurchaseMap()).UseGeneratedModel(_requiredShipping)).Dispose());

        Assert.That(error.Differences, Has.Member(
            "Purchase.Shipping, a value object, is now PostalAddress, optional, made with new() then sets Street, City, Floor; "
            + "the generated model has PostalAddress, required, made with new() then sets Street, City, Floor."));
    }

    [Test]
    public async Task A_value_object_whose_required_members_are_all_mapped_is_made_and_copied_by_generated_code_without_compiling_those_its_constructor_takes_and_its_base_declares_included()
    {
        var compiles = LazyDelegates.CountInThisFlow();
        var badge = new Badge { Label = new BadgeLabel(new BadgeFrame { Color = "red" }, "Ada") { Text = "Ada", Size = 3 } };
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Badge>().Add(badge);
            await uow.CommitAsync();
        }

        Badge loaded;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            loaded = await uow.Repository<Badge>().GetAsync(badge.Id);
            loaded.Label.Text = "Bob"; // changed in place: the snapshot's copy (made anew, required members set) must differ
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That((loaded.Label.Text, loaded.Label.Size, loaded.Label.Frame.Color), Is.EqualTo(("Bob", 3, "red")), "the required members and the nested value object read back");
            Assert.That(
                await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q(BadgeMap.Table)} WHERE {Q("id")} = @id AND {Q("label_text")} = 'Bob' AND {Q("label_size")} = 3 AND {Q("label_frame_color")} = 'red'", new { id = badge.Id }),
                Is.EqualTo(1),
                "the insert and the in-place change are written");
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    private static PremixOptionsBuilder Register(PremixOptionsBuilder p, ModelConfiguration<Purchase> purchases) =>
        p.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(purchases).AddModelConfiguration(new TenantMap()).AddModelConfiguration(new BadgeMap());

    public sealed class Badge
    {
        public long Id { get; set; }

        public BadgeLabel Label { get; set; } = new(new BadgeFrame { Color = "" }, "") { Text = "", Size = 0 };
    }

    /// <summary>
    /// Required members without [SetsRequiredMembers]: generated code sets them in its initializer (Text, which the
    /// constructor takes, again; Size, which the base class declares), and the snapshot makes the label anew (its frame has
    /// no setter), setting them there too.
    /// </summary>
    public sealed class BadgeLabel(BadgeFrame frame, string text) : BadgeLabelBase
    {
        public BadgeFrame Frame { get; } = frame;

        public required string Text { get; set; } = text;
    }

    public class BadgeLabelBase
    {
        public required int Size { get; init; }
    }

    public sealed class BadgeFrame
    {
        public required string Color { get; set; }
    }

    public sealed class BadgeMap : ModelConfiguration<Badge>
    {
        public const string Table = "owned_badges";

        public override void Configure(EntityBuilder<Badge> e)
        {
            e.ToTable(Table);
            e.Owns(b => b.Label, l => l.Owns(v => v.Frame));
        }
    }

    /// <summary><see cref="PurchaseMap"/> with its shipping address required: another value-object shape than the mapping's.</summary>
    public sealed class RequiredShippingPurchaseMap : ModelConfiguration<Purchase>
    {
        public override void Configure(EntityBuilder<Purchase> e)
        {
            e.ToTable(PurchaseMap.Table);
            e.Owns(p => p.Total, m => m.Property(v => v.Amount).HasPrecision(18, 4));
            e.Owns(p => p.Shipping, a => a.IsRequired().Property(v => v.Street).HasMaxLength(100));
        }
    }
}
