using Dapper;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// PostgreSQL composite types (<c>StoredAsCompositeType</c>, <see cref="ShipmentMap"/>): the type sync creates, values written
/// one at a time and many in one commit, read back with null values and null attributes, changes in place seen, and one
/// commit mixing inserts, updates and deletes. Rows are arranged and checked through plain SQL. The other engines refuse
/// such a property at startup (<see cref="PostgreSqlTypeStartupTests"/>).
/// </summary>
[TestFixtureSource(nameof(PostgreSqlOnly))]
public sealed class CompositeTypeTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    /// <summary>Composite types are PostgreSQL's own.</summary>
    public static IEnumerable<Engine> PostgreSqlOnly { get; } = [Engine.PostgreSql];

    [SetUp]
    public async Task CreateTableAsync()
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q(ShipmentMap.Table)}");
        await ExecuteAsync($"DROP TYPE IF EXISTS {ShipmentMap.TypeName}");
        _premix = CreatePremix(p => p.AddModelConfiguration(new ShipmentMap()));
        await _premix.SyncAsync();
    }

    [TearDown]
    public void DisposePremix() => _premix.Dispose();

    [Test]
    public async Task Sync_creates_the_composite_type_before_the_table_and_a_diff_after_it_is_empty()
    {
        var attributes = await QueryAsync<(string Name, string Type)>(
            $"SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = (SELECT typrelid FROM pg_type WHERE typname = '{ShipmentMap.TypeName}') ORDER BY a.attnum");
        var columns = await QueryAsync<(string Name, string Type)>(
            $"SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = '{ShipmentMap.Table}'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum");

        Assert.That(attributes, Is.EqualTo(new[] { ("Street", "text"), ("City", "text"), ("Zip", "integer") }));
        Assert.That(columns.Skip(2), Is.EqualTo(new[] { ("To", ShipmentMap.TypeName), ("From", ShipmentMap.TypeName) }));
        Assert.That((await _premix.DiffAsync()).Operations, Is.Empty);
    }

    [TestCase(1, TestName = "Composite values with null attributes and a null value are stored and read back (single-row writes)")]
    [TestCase(3, TestName = "Composite values with null attributes and a null value are stored and read back (many-row writes)")]
    public async Task Composite_values_are_stored_and_read_back(int count)
    {
        var shipments = Enumerable.Range(0, count).Select(i => Sample("s" + i)).ToArray();
        shipments[0].To.Zip = null;
        shipments[0].From = null;

        await AddAsync(shipments);

        var rows = await QueryAsync<(string To, string? From)>($"SELECT \"To\"::text, \"From\"::text FROM {Q(ShipmentMap.Table)} ORDER BY \"Id\"");
        Assert.That(rows, Is.EqualTo(Enumerable.Range(0, count).Select(i => i == 0
            ? ("(\"1 Main St\",Oslo,)", (string?)null)
            : ("(\"1 Main St\",Oslo,150)", "(,Bergen,5003)"))));

        await using var uow = _premix.BeginUnitOfWork();
        var read = await uow.Repository<Shipment>().GetAsync(shipments[^1].Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((read.To.Street, read.To.City, read.To.Zip), Is.EqualTo(("1 Main St", "Oslo", count == 1 ? (int?)null : 150)));
            Assert.That((read.From?.Street, read.From?.City, read.From?.Zip), Is.EqualTo(count == 1 ? ((string?)null, (string?)null, (int?)null) : ((string?)null, "Bergen", (int?)5003)));
            Assert.That(read.From is null, Is.EqualTo(count == 1));
        }
    }

    [Test]
    public async Task A_change_in_place_is_updated_an_untouched_value_is_not_and_one_commit_mixes_inserts_updates_and_deletes()
    {
        await AddAsync(Sample("kept"), Sample("changed"), Sample("moved"), Sample("deleted"));

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var shipments = uow.Repository<Shipment>();
            var all = (await shipments.Query().ToListAsync()).ToDictionary(s => s.Name);
            all["kept"].To = new ShipmentAddress { Street = "1 Main St", City = "Oslo", Zip = 150 };
            Assert.That(uow.HasPendingChanges, Is.False, "an equal value in a new object is no change");
            all["changed"].To.City = "Trondheim"; // in place: the snapshot must not share the object
            all["moved"].From = null;
            shipments.Remove(all["deleted"]);
            shipments.Add(Sample("added"));
            await uow.CommitAsync();
        }

        var rows = await QueryAsync<(string Name, string To, string? From)>($"SELECT \"Name\", \"To\"::text, \"From\"::text FROM {Q(ShipmentMap.Table)} ORDER BY \"Id\"");
        Assert.That(rows, Is.EqualTo(new (string, string, string?)[]
        {
            ("kept", "(\"1 Main St\",Oslo,150)", "(,Bergen,5003)"),
            ("changed", "(\"1 Main St\",Trondheim,150)", "(,Bergen,5003)"),
            ("moved", "(\"1 Main St\",Oslo,150)", null),
            ("added", "(\"1 Main St\",Oslo,150)", "(,Bergen,5003)"),
        }));
    }

    [Test]
    public async Task A_many_row_update_of_changes_in_place_writes_every_row()
    {
        await AddAsync(Sample("a"), Sample("b"), Sample("c"));

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var zip = 1;
            foreach (var shipment in await uow.Repository<Shipment>().Query().OrderBy(s => s.Id).ToListAsync())
            {
                shipment.To.Zip = zip++;
            }

            await uow.CommitAsync();
        }

        var rows = await QueryAsync<string>($"SELECT \"To\"::text FROM {Q(ShipmentMap.Table)} ORDER BY \"Id\"");
        Assert.That(rows, Is.EqualTo(new[] { "(\"1 Main St\",Oslo,1)", "(\"1 Main St\",Oslo,2)", "(\"1 Main St\",Oslo,3)" }));
    }

    [Test]
    public async Task Rows_written_in_SQL_read_back()
    {
        await ExecuteAsync($"INSERT INTO {Q(ShipmentMap.Table)} (\"Name\", \"To\", \"From\") VALUES ('a', ROW('Quay 2', 'Bergen', 5004), NULL), ('b', ROW(NULL, NULL, NULL), ROW('x', 'y', 1))");

        await using var uow = _premix.BeginUnitOfWork();
        var all = await uow.Repository<Shipment>().Query().OrderBy(s => s.Name).ToListAsync();
        Assert.That(all.Select(s => (s.To.Street, s.To.City, s.To.Zip, s.From?.City)), Is.EqualTo(new (string?, string?, int?, string?)[] { ("Quay 2", "Bergen", 5004, null), (null, null, null, "y") }));
    }

    [Test]
    public async Task Where_and_OrderBy_on_an_attribute_read_it_inside_the_composite_value()
    {
        await ExecuteAsync($"INSERT INTO {Q(ShipmentMap.Table)} (\"Name\", \"To\", \"From\") VALUES ('a', ROW('x', 'Oslo', 3), NULL), ('b', ROW('y', 'Bergen', 1), ROW('z', 'Oslo', 2)), ('c', ROW(NULL, 'Oslo', 2), NULL)");
        var city = "Oslo";

        await using var uow = _premix.BeginUnitOfWork();
        var shipments = uow.Repository<Shipment>();
        var toOslo = await shipments.Query().Where(s => s.To.City == city).OrderBy(s => s.To.Zip).Select(s => s.Name).ToListAsync();
        var fromOslo = await shipments.Query().Where(s => s.From!.City == "Oslo").Select(s => s.Name).ToListAsync();
        var noStreet = await shipments.Query().Where(s => s.To.Street == null).Select(s => s.Name).ToListAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(toOslo, Is.EqualTo(new[] { "c", "a" }));
            Assert.That(fromOslo, Is.EqualTo(new[] { "b" }));
            Assert.That(noStreet, Is.EqualTo(new[] { "c" }));
        }
    }

    private static Shipment Sample(string name) => new()
    {
        Name = name,
        To = new ShipmentAddress { Street = "1 Main St", City = "Oslo", Zip = 150 },
        From = new ShipmentAddress { City = "Bergen", Zip = 5003 },
    };

    private async Task AddAsync(params Shipment[] shipments)
    {
        await using var uow = _premix.BeginUnitOfWork();
        foreach (var shipment in shipments)
        {
            uow.Repository<Shipment>().Add(shipment);
        }

        await uow.CommitAsync();
    }

    private async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql)).ToList();
    }
}
