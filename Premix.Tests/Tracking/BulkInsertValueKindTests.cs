using Dapper;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>
/// Value kinds the bulk path reads typed, with no box per value, on PostgreSQL's binary COPY (a struct that is never null,
/// through its converter, or a UTC instant through its kind check): rows inserted through the bulk path (threshold 2) are
/// stored as the same values inserted with it turned off, and a commit holding a time of the wrong kind writes nothing.
/// Arranged and checked through plain SQL on every engine (issue 17 item 4).
/// </summary>
public sealed class BulkInsertValueKindTests(Engine engine) : PremixTest(engine)
{
    private const int Rows = 6;

    [Test]
    public async Task Utc_instants_converted_structs_and_numbers_go_through_the_bulk_path_stored_as_the_many_row_insert_stores_them()
    {
        await (await CreatePremixWithTablesAsync(new ReadingMap())).DisposeAsync();
        var bulkRows = Readings(Rows);
        await using (var bulk = CreatePremix(p => p.AddModelConfiguration(new ReadingMap()).BulkInsertThreshold(2)))
        {
            await InsertAsync(bulk, bulkRows);
        }

        await using (var usual = CreatePremix(p => p.AddModelConfiguration(new ReadingMap()).DisableBulkInsert()))
        {
            await InsertAsync(usual, Readings(Rows));
        }

        await using var connection = await OpenConnectionAsync();
        var rows = (await connection.QueryAsync($"SELECT * FROM {Q("bulk_readings")} ORDER BY {Q("Id")}")).Cast<IDictionary<string, object?>>().ToList();
        Assert.That(rows, Has.Count.EqualTo(2 * Rows));
        for (var i = 0; i < Rows; i++)
        {
            Assert.That(rows[i]["Id"], Is.EqualTo(bulkRows[i].Id), $"row {i} holds the key its object was given");
            Assert.That(Convert.ToInt64(rows[i]["Price"], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(bulkRows[i].Price.Value), $"row {i}: the converter's value");
            Assert.That(rows[i].Where(c => c.Key != "Id"), Is.EqualTo(rows[i + Rows].Where(c => c.Key != "Id")), $"row {i}");
        }
    }

    [Test]
    public async Task A_local_time_in_a_bulk_run_of_utc_instants_fails_the_commit_writes_nothing_and_leaves_the_keys_as_they_were()
    {
        await (await CreatePremixWithTablesAsync(new ReadingMap())).DisposeAsync();
        var readings = Readings(Rows);
        readings[3].At = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Local);
        await using (var bulk = CreatePremix(p => p.AddModelConfiguration(new ReadingMap()).BulkInsertThreshold(2)))
        {
            await using var uow = bulk.BeginUnitOfWork();
            readings.ForEach(uow.Repository<Reading>().Add);
            Assert.That(async () => await uow.CommitAsync(), Throws.InstanceOf<Exception>().With.Message.Contains("UTC").IgnoreCase);
        }

        Assert.That(readings.Select(r => r.Id), Is.All.EqualTo(0L));
        await using var connection = await OpenConnectionAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {Q("bulk_readings")}"), Is.Zero);
    }

    private static async Task InsertAsync(IPremix premix, List<Reading> readings)
    {
        await using var uow = premix.BeginUnitOfWork();
        readings.ForEach(uow.Repository<Reading>().Add);
        await uow.CommitAsync();
    }

    private static List<Reading> Readings(int count) =>
    [
        .. Enumerable.Range(0, count).Select(i => new Reading
        {
            At = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(i * 10).AddDays(i), Price = new Cents(-1_000_000_007L * i),
            Count = int.MaxValue - i, Ratio = 0.25 * i, Flag = i % 2 == 0,
        }),
    ];

    public readonly record struct Cents(long Value);

    public sealed class Reading
    {
        public long Id { get; set; }

        public DateTime At { get; set; }

        public Cents Price { get; set; }

        public int Count { get; set; }

        public double Ratio { get; set; }

        public bool Flag { get; set; }
    }

    private sealed class ReadingMap : ModelConfiguration<Reading>
    {
        public override void Configure(EntityBuilder<Reading> e)
        {
            e.ToTable("bulk_readings");
            e.Property(x => x.At).StoredAsUtc();
            e.Property(x => x.Price).HasConversion<Cents, long>(c => c.Value, v => new Cents(v));
        }
    }
}
