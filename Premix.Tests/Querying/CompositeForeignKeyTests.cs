using Dapper;
using Premix.Migrations;
using Premix.Mapping;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// A relation whose foreign key is several properties (the parts of the parent's composite key): keys propagated to
/// children on commit, Include in both directions with one row-value IN query per level, the constraint in the schema.
/// </summary>
public sealed class CompositeForeignKeyTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new ShipmentMap(), new ParcelMap());
    }

    [Test]
    public async Task Children_added_with_their_parent_get_every_part_of_its_key()
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Shipment>().Add(new Shipment { Depot = 2, Number = 100, Parcels = [new Parcel { Label = "a" }, new Parcel { Label = "b" }] });
            await uow.CommitAsync();
        }

        await using var connection = await OpenConnectionAsync();
        var parcels = (await connection.QueryAsync<(int Depot, long Number, string Label)>(
            $"SELECT {Q("Depot")}, {Q("ShipmentNumber")}, {Q("Label")} FROM {Q("parcels")} ORDER BY {Q("Label")}")).ToList();
        Assert.That(parcels, Is.EqualTo(new[] { (2, 100L, "a"), (2, 100L, "b") }));
    }

    [Test]
    public async Task A_child_given_a_loaded_parent_gets_its_key_and_a_moved_child_is_updated()
    {
        await SeedAsync();
        await using (var uow = _premix.BeginUnitOfWork())
        {
            var target = await uow.Repository<Shipment>().GetAsync((1, 200L));
            uow.Repository<Parcel>().Add(new Parcel { Label = "new", Shipment = target });
            var moved = await uow.Repository<Parcel>().Query().Where(p => p.Label == "2/100 x").SingleAsync();
            moved.Shipment = target;
            await uow.CommitAsync();
        }

        var rows = await ScalarAsync<long>(
            $"SELECT COUNT(*) FROM {Q("parcels")} WHERE {Q("Depot")} = 1 AND {Q("ShipmentNumber")} = 200 AND {Q("Label")} IN ('new', '2/100 x')");
        Assert.That(rows, Is.EqualTo(2));
    }

    [Test]
    public async Task Including_children_sends_one_row_value_query_and_matches_every_key_part()
    {
        await SeedAsync();
        await using var uow = _premix.BeginUnitOfWork();
        using var queries = uow.RecordQueries();

        var shipments = await uow.Repository<Shipment>().Query().OrderBy(s => s.Depot).ThenBy(s => s.Number).Include(s => s.Parcels).ToListAsync();

        queries.AssertCount(2).AssertCount(1, StatementKind.Select, "parcels");
        using (Assert.EnterMultipleScope())
        {
            // (1, 100) and (2, 100) share a number, (1, 100) and (1, 200) a depot: only both parts pick a shipment's parcels.
            Assert.That(shipments.Select(s => string.Join(",", s.Parcels.Select(p => p.Label).Order())), Is.EqualTo(new[] { "1/100 x,1/100 y", "1/200 x", "2/100 x" }));
            Assert.That(shipments.SelectMany(s => s.Parcels.Select(p => p.Shipment == s)), Is.All.True, "each parcel points back at its shipment");
            Assert.That(queries.Statements[1].Sql, Does.Contain($"({Q("Depot")}, {Q("ShipmentNumber")}) IN (("));
        }
    }

    [Test]
    public async Task Including_the_parent_sends_one_row_value_query_and_stitches_both_ends()
    {
        await SeedAsync();
        await using var uow = _premix.BeginUnitOfWork();
        using var queries = uow.RecordQueries();

        var parcels = await uow.Repository<Parcel>().Query().OrderBy(p => p.Label).Include(p => p.Shipment).ToListAsync();

        queries.AssertCount(2).AssertCount(1, StatementKind.Select, "shipments");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(parcels.Select(p => $"{p.Shipment?.Depot}/{p.Shipment?.Number}"), Is.EqualTo(new[] { "1/100", "1/100", "1/200", "2/100", "/" }));
            Assert.That(parcels[0].Shipment, Is.SameAs(parcels[1].Shipment), "one instance per shipment");
            Assert.That(parcels[0].Shipment!.Parcels, Has.Count.EqualTo(2));
        }
    }

    [Test]
    public async Task Sync_creates_the_composite_constraint_so_the_database_refuses_a_row_matching_one_part_only()
    {
        await SeedAsync();
        await using var connection = await OpenConnectionAsync();
        if (Engine == Engine.Sqlite)
        {
            await connection.ExecuteAsync("PRAGMA foreign_keys = ON");
        }

        // Depot 2 and number 200 each exist, but not together.
        var orphan = $"INSERT INTO {Q("parcels")} ({Q("Depot")}, {Q("ShipmentNumber")}, {Q("Label")}) VALUES (2, 200, 'orphan')";
        Assert.That(async () => await connection.ExecuteAsync(orphan), Throws.InstanceOf<System.Data.Common.DbException>());
        Assert.That((await _premix.DiffAsync()).IsEmpty, Is.True, "a diff right after the sync is empty");
    }

    private async Task SeedAsync()
    {
        await ExecuteAsync($"INSERT INTO {Q("shipments")} ({Q("Depot")}, {Q("Number")}, {Q("Note")}) VALUES (1, 100, 'a'), (2, 100, 'b'), (1, 200, 'c')");
        await ExecuteAsync(
            $"INSERT INTO {Q("parcels")} ({Q("Depot")}, {Q("ShipmentNumber")}, {Q("Label")}) VALUES (1, 100, '1/100 x'), (1, 100, '1/100 y'), (2, 100, '2/100 x'), (1, 200, '1/200 x'), (NULL, NULL, 'unsent')");
    }

    public sealed class Shipment
    {
        public int Depot { get; set; }

        public long Number { get; set; }

        public string Note { get; set; } = "";

        public List<Parcel> Parcels { get; set; } = [];
    }

    public sealed class Parcel
    {
        public long Id { get; set; }

        public int? Depot { get; set; }

        public long? ShipmentNumber { get; set; }

        public string Label { get; set; } = "";

        public Shipment? Shipment { get; set; }
    }

    private sealed class ShipmentMap : ModelConfiguration<Shipment>
    {
        public override void Configure(EntityBuilder<Shipment> e)
        {
            e.ToTable("shipments");
            e.HasKey(s => new { s.Depot, s.Number });
            e.Property(s => s.Note).HasMaxLength(20);
            e.HasMany(s => s.Parcels).WithForeignKey(p => new { p.Depot, p.ShipmentNumber });
        }
    }

    private sealed class ParcelMap : ModelConfiguration<Parcel>
    {
        public override void Configure(EntityBuilder<Parcel> e)
        {
            e.ToTable("parcels");
            e.Property(p => p.Label).HasMaxLength(20);
            e.BelongsTo(p => p.Shipment).WithForeignKey(p => new { p.Depot, p.ShipmentNumber });
        }
    }
}
