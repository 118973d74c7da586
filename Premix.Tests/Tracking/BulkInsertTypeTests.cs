using Dapper;
using Premix.Tests.Infrastructure;
using Premix.Tests.Types;

namespace Premix.Tests.Tracking;

/// <summary>
/// What the bulk path stores, type by type: rows of every supported type (<see cref="TypeSample"/>) inserted through it
/// (threshold 2; on PostgreSQL binary COPY, each value sent as its column's type) are stored exactly as the same values
/// inserted with the bulk path turned off, compared column by column through plain SQL (issue 17 item 4).
/// </summary>
public sealed class BulkInsertTypeTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task Rows_of_every_supported_type_are_stored_as_the_many_row_insert_stores_them()
    {
        await (await CreatePremixWithTablesAsync(new TypeSampleMap())).DisposeAsync();
        await using (var bulk = CreatePremix(p => p.AddModelConfiguration(new TypeSampleMap()).BulkInsertThreshold(2)))
        {
            await InsertAsync(bulk);
        }

        await using (var usual = CreatePremix(p => p.AddModelConfiguration(new TypeSampleMap()).DisableBulkInsert()))
        {
            await InsertAsync(usual);
        }

        await using var connection = await OpenConnectionAsync();
        var rows = (await connection.QueryAsync($"SELECT * FROM {Q("type_samples")} ORDER BY {Q("Id")}")).Cast<IDictionary<string, object?>>().ToList();
        Assert.That(rows, Has.Count.EqualTo(2 * Samples().Count));
        for (var i = 0; i < Samples().Count; i++)
        {
            var copied = rows[i].Where(c => c.Key != "Id").ToList();
            var inserted = rows[i + Samples().Count].Where(c => c.Key != "Id").ToList();
            Assert.That(copied, Is.EqualTo(inserted), $"sample {i}");
        }
    }

    private static async Task InsertAsync(IPremix premix)
    {
        await using var uow = premix.BeginUnitOfWork();
        Samples().ForEach(uow.Repository<TypeSample>().Add);
        await uow.CommitAsync();
    }

    private static List<TypeSample> Samples() =>
    [
        .. Enumerable.Range(0, 6).Select(i => new TypeSample
        {
            Flag = i % 2 == 0, Byte = (byte)(250 + i), Short = (short)(-30000 + i), Int = int.MinValue + i, Long = long.MaxValue - i,
            Money = 12345.6789m + i, Plain = -0.5m * i, Rounded = 2.5m + i, Double = Math.PI * i, Float = 1.5f / (i + 1),
            Text = $"text {i} 'quoted' \"double\" \\ é ✓", Essay = new string('x', 100 * i), Guid = new Guid(i + 1, 2, 3, [4, 5, 6, 7, 8, 9, 10, 11]),
            When = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Unspecified).AddTicks(i * 10), WhenWithOffset = new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.FromHours(i - 3)),
            Day = new DateOnly(2000 + (4 * i), 2, 29), Time = new TimeOnly(23, 59, 59, 999), Span = TimeSpan.FromMinutes(-90 * i), Bytes = [0, (byte)i, 255],
            ColorNumber = (Color)(i % 3), ColorText = (Color)((i + 1) % 3),
            NFlag = i % 2 == 0 ? null : true, NByte = i % 2 == 0 ? null : (byte)i, NShort = i % 2 == 0 ? null : (short)i, NInt = i % 2 == 0 ? null : i,
            NLong = i % 2 == 0 ? null : i, NMoney = i % 2 == 0 ? null : i / 8m, NDouble = i % 2 == 0 ? null : -i, NFloat = i % 2 == 0 ? null : i,
            NText = i % 2 == 0 ? null : "n" + i, NGuid = i % 2 == 0 ? null : Guid.Empty, NWhen = i % 2 == 0 ? null : new DateTime(1999, 12, 31, 23, 59, 59),
            NWhenWithOffset = i % 2 == 0 ? null : DateTimeOffset.UnixEpoch, NDay = i % 2 == 0 ? null : DateOnly.MinValue, NTime = i % 2 == 0 ? null : TimeOnly.MinValue,
            NSpan = i % 2 == 0 ? null : TimeSpan.Zero, NBytes = i % 2 == 0 ? null : [], NColorNumber = i % 2 == 0 ? null : Color.Blue, NColorText = i % 2 == 0 ? null : Color.Green,
        }),
    ];
}
