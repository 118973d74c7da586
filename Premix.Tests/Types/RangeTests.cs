using Dapper;
using NpgsqlTypes;
using Premix.Migrations;
using Premix.Providers.PostgreSql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// PostgreSQL's range types held in <see cref="NpgsqlRange{T}"/> properties (<see cref="BookingMap"/>): the column types sync
/// creates, ranges written one at a time and many in one commit (the <c>unnest</c> path), read back, changed and compared.
/// Rows are arranged and checked through plain SQL (docs/types.md, "PostgreSQL types"). The other engines refuse such a
/// property at startup (<see cref="PostgreSqlTypeStartupTests"/>).
/// </summary>
[TestFixtureSource(nameof(PostgreSqlOnly))]
public sealed class RangeTests(Engine engine) : PremixTest(engine)
{
    private static readonly DateTime Nine = new(2026, 3, 1, 9, 0, 0, DateTimeKind.Unspecified);
    private static readonly DateTimeOffset NineUtc = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private IPremix _premix = null!;

    /// <summary>Ranges are PostgreSQL's own.</summary>
    public static IEnumerable<Engine> PostgreSqlOnly { get; } = [Engine.PostgreSql];

    [SetUp]
    public async Task CreateTableAsync()
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q(BookingMap.Table)}");
        _premix = CreatePremix(p => p.AddModelConfiguration(new BookingMap()));
        await _premix.SyncAsync();
    }

    [TearDown]
    public void DisposePremix() => _premix.Dispose();

    [Test]
    public async Task Sync_creates_a_column_of_each_range_type_and_a_diff_after_it_is_empty()
    {
        var types = await QueryAsync<(string Column, string Type)>(
            $"SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = '{BookingMap.Table}'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum");

        Assert.That(types.Skip(2), Is.EqualTo(new[]
        {
            ("Seats", "int4range"), ("Tickets", "int8range"), ("Price", "numrange"), ("Stay", "daterange"), ("Slot", "tsrange"), ("Window", "tstzrange"),
        }));
        Assert.That((await _premix.DiffAsync()).Operations, Is.Empty);
    }

    [TestCase(1, TestName = "Ranges with inclusive, exclusive and infinite bounds, empty ranges and nulls are stored and read back (single-row writes)")]
    [TestCase(3, TestName = "Ranges with inclusive, exclusive and infinite bounds, empty ranges and nulls are stored and read back (many-row writes)")]
    public async Task Ranges_are_stored_and_read_back(int count)
    {
        var bookings = Enumerable.Range(0, count).Select(i => Sample("b" + i)).ToArray();
        bookings[0].Tickets = NpgsqlRange<long>.Empty;
        bookings[0].Price = null;
        bookings[^1].Window = new NpgsqlRange<DateTimeOffset>(NineUtc.ToOffset(TimeSpan.FromHours(5.5)), true, false, default, false, true); // the same instant

        await AddAsync(bookings);

        var row = await QueryAsync<(string Seats, string? Tickets, string? Price, string Stay, string Slot, string Window)>(
            $"SELECT \"Seats\"::text, \"Tickets\"::text, \"Price\"::text, \"Stay\"::text, \"Slot\"::text, to_char(lower(\"Window\") AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' ' || upper_inf(\"Window\") FROM {Q(BookingMap.Table)} ORDER BY \"Id\"");
        var slot = "[\"2026-03-01 09:00:00\",\"2026-03-01 17:30:00\"]";
        Assert.That(row, Is.EqualTo(Enumerable.Range(0, count).Select(i => i == 0
            ? ("[2,11)", "empty", (string?)null, "[2026-03-01,)", slot, "2026-03-01 09:00 true")
            : ("[2,11)", "[1,)", "[9.5,20)", "[2026-03-01,)", slot, "2026-03-01 09:00 true"))));

        await using var uow = _premix.BeginUnitOfWork();
        var read = await uow.Repository<Booking>().GetAsync(bookings[0].Id);
        using (Assert.EnterMultipleScope())
        {
            // int4range and daterange are discrete: PostgreSQL keeps them as [lower, upper), so (1,10] comes back as [2,11).
            Assert.That(read.Seats, Is.EqualTo(new NpgsqlRange<int>(2, true, 11, false)));
            Assert.That(read.Tickets, Is.EqualTo(NpgsqlRange<long>.Empty));
            Assert.That(read.Price, Is.Null);
            Assert.That(read.Stay, Is.EqualTo(new NpgsqlRange<DateOnly>(new DateOnly(2026, 3, 1), true, false, default, false, true)));
            Assert.That(read.Slot, Is.EqualTo(new NpgsqlRange<DateTime>(Nine, Nine.AddHours(8.5))));
            Assert.That(read.Slot!.Value.LowerBound.Kind, Is.EqualTo(DateTimeKind.Unspecified));
            Assert.That(read.Window, Is.EqualTo(new NpgsqlRange<DateTimeOffset>(NineUtc, true, false, default, false, true)));
        }
    }

    [Test]
    public async Task A_changed_range_is_updated_an_equal_one_is_not_and_one_commit_mixes_inserts_updates_and_deletes()
    {
        var kept = Sample("kept");
        var changed = Sample("changed");
        var deleted = Sample("deleted");
        await AddAsync(kept, changed, deleted);

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var bookings = uow.Repository<Booking>();
            var all = (await bookings.Query().ToListAsync()).ToDictionary(b => b.Name);
            all["kept"].Seats = new NpgsqlRange<int>(2, true, 11, false);
            all["kept"].Price = new NpgsqlRange<decimal>(9.50m, true, 20.00m, false);
            Assert.That(uow.HasPendingChanges, Is.False, "equal ranges are no change");
            all["changed"].Seats = new NpgsqlRange<int>(5, true, 6, false);
            all["changed"].Tickets = NpgsqlRange<long>.Empty;
            all["changed"].Slot = null;
            bookings.Remove(all["deleted"]);
            bookings.Add(Sample("added"));
            await uow.CommitAsync();
        }

        var rows = await QueryAsync<(string Name, string Seats, string? Tickets, string? Slot)>(
            $"SELECT \"Name\", \"Seats\"::text, \"Tickets\"::text, \"Slot\"::text FROM {Q(BookingMap.Table)} ORDER BY \"Id\"");
        Assert.That(rows, Is.EqualTo(new (string, string, string?, string?)[]
        {
            ("kept", "[2,11)", "[1,)", "[\"2026-03-01 09:00:00\",\"2026-03-01 17:30:00\"]"),
            ("changed", "[5,6)", "empty", null),
            ("added", "[2,11)", "[1,)", "[\"2026-03-01 09:00:00\",\"2026-03-01 17:30:00\"]"),
        }));
    }

    [Test]
    public async Task A_many_row_update_writes_ranges_through_unnest_and_a_bulk_update_sets_one()
    {
        await AddAsync(Sample("a"), Sample("b"), Sample("c"));

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var i = 0;
            foreach (var booking in await uow.Repository<Booking>().Query().OrderBy(b => b.Id).ToListAsync())
            {
                booking.Seats = new NpgsqlRange<int>(i, i + 1);
                booking.Slot = new NpgsqlRange<DateTime>(Nine.AddDays(i), Nine.AddDays(i + 1));
                i++;
            }

            await uow.CommitAsync();
        }

        var rows = await QueryAsync<(string Seats, string Slot)>($"SELECT \"Seats\"::text, \"Slot\"::text FROM {Q(BookingMap.Table)} ORDER BY \"Id\"");
        Assert.That(rows, Is.EqualTo(new[]
        {
            ("[0,2)", "[\"2026-03-01 09:00:00\",\"2026-03-02 09:00:00\"]"),
            ("[1,3)", "[\"2026-03-02 09:00:00\",\"2026-03-03 09:00:00\"]"),
            ("[2,4)", "[\"2026-03-03 09:00:00\",\"2026-03-04 09:00:00\"]"),
        }));

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var slot = new NpgsqlRange<DateTime>(Nine, true, false, default, false, true);
            await uow.Repository<Booking>().Query().Where(b => b.Seats.Contains(2)).UpdateAllAsync(s => s.Set(b => b.Slot, slot).Set(b => b.Tickets, NpgsqlRange<long>.Empty));
            await uow.CommitAsync();
        }

        var bulk = await QueryAsync<(string Slot, string Tickets)>($"SELECT \"Slot\"::text, \"Tickets\"::text FROM {Q(BookingMap.Table)} WHERE \"Seats\" @> 2 ORDER BY \"Id\"");
        Assert.That(bulk, Is.EqualTo(new[] { ("[\"2026-03-01 09:00:00\",)", "empty"), ("[\"2026-03-01 09:00:00\",)", "empty") }));
    }

    [Test]
    public async Task Rows_written_in_SQL_read_back_and_Where_compares_a_whole_range()
    {
        await ExecuteAsync($"INSERT INTO {Q(BookingMap.Table)} (\"Name\", \"Seats\", \"Window\") VALUES ('a', '[1,5)', '[2026-03-01 09:00+00,)'), ('b', 'empty', NULL), ('c', '(,3]', '(,)')");

        await using var uow = _premix.BeginUnitOfWork();
        var bookings = uow.Repository<Booking>();
        var all = await bookings.Query().OrderBy(b => b.Name).ToListAsync();
        var seats = new NpgsqlRange<int>(1, true, 5, false);
        var equal = await bookings.Query().Where(b => b.Seats == seats).Select(b => b.Name).ToListAsync();
        var noWindow = await bookings.Query().Where(b => b.Window == null).Select(b => b.Name).ToListAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(all.Select(b => b.Seats), Is.EqualTo(new[] { seats, NpgsqlRange<int>.Empty, new NpgsqlRange<int>(0, false, true, 4, false, false) }));
            Assert.That(all.Select(b => b.Window), Is.EqualTo(new NpgsqlRange<DateTimeOffset>?[]
            {
                new NpgsqlRange<DateTimeOffset>(NineUtc, true, false, default, false, true), null, new NpgsqlRange<DateTimeOffset>(default, false, true, default, false, true),
            }));
            Assert.That(equal, Is.EqualTo(new[] { "a" }));
            Assert.That(noWindow, Is.EqualTo(new[] { "b" }));
        }
    }

    [Test]
    public async Task Where_Contains_is_the_range_operator_and_agrees_with_Contains_in_memory()
    {
        await ExecuteAsync($"INSERT INTO {Q(BookingMap.Table)} (\"Name\", \"Seats\", \"Stay\", \"Window\") VALUES "
            + "('a', '[1,5)', '[2026-03-01,2026-03-08)', '[2026-03-01 09:00+00,)'), ('b', 'empty', NULL, NULL), ('c', '(,3]', '(,)', '(,2026-03-01 09:00+00)')");
        var seat = 4;
        var day = new DateOnly(2026, 3, 7);

        await using var uow = _premix.BeginUnitOfWork();
        var bookings = uow.Repository<Booking>();
        var all = await bookings.Query().OrderBy(b => b.Name).ToListAsync();
        var holdingSeat = await bookings.Query().Where(b => b.Seats.Contains(seat)).Select(b => b.Name).ToListAsync();
        var holdingThree = await bookings.Query().Where(b => b.Seats.Contains(3)).OrderBy(b => b.Name).Select(b => b.Name).ToListAsync();
        var holdingDay = await bookings.Query().Where(b => b.Stay!.Value.Contains(day)).OrderBy(b => b.Name).Select(b => b.Name).ToListAsync();
        var notAtNine = await bookings.Query().Where(b => !b.Window!.Value.Contains(NineUtc)).Select(b => b.Name).ToListAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(holdingSeat, Is.EqualTo(new[] { "a" }));
            Assert.That(holdingThree, Is.EqualTo(new[] { "a", "c" }));
            Assert.That(holdingDay, Is.EqualTo(new[] { "a", "c" }));
            Assert.That(notAtNine, Is.EqualTo(new[] { "c" }), "a NULL range holds nothing, nor its negation");
            Assert.That(all.Where(b => b.Seats.Contains(3)).Select(b => b.Name), Is.EqualTo(holdingThree));
            Assert.That(all.Where(b => b.Stay?.Contains(day) == true).Select(b => b.Name), Is.EqualTo(holdingDay));
            Assert.That(all.Where(b => b.Window is { } window && !window.Contains(NineUtc)).Select(b => b.Name), Is.EqualTo(notAtNine));
        }
    }

    [Test]
    public async Task Contains_sends_its_value_as_a_bound_of_the_range_a_non_UTC_instant_and_a_UTC_wall_clock_time_included()
    {
        await ExecuteAsync($"INSERT INTO {Q(BookingMap.Table)} (\"Name\", \"Seats\", \"Slot\", \"Window\") VALUES "
            + "('a', '[1,5)', '[2026-03-01 09:00,2026-03-01 10:00)', '[2026-03-01 09:00+00,2026-03-01 10:00+00)'), "
            + "('b', '[1,5)', '[2026-03-01 11:00,2026-03-01 12:00)', '[2026-03-01 11:00+00,2026-03-01 12:00+00)')");
        var halfPastNineInIndia = new DateTimeOffset(2026, 3, 1, 15, 0, 0, TimeSpan.FromHours(5.5)); // 09:30 UTC
        var halfPastElevenUtc = new DateTime(2026, 3, 1, 11, 30, 0, DateTimeKind.Utc);

        await using var uow = _premix.BeginUnitOfWork();
        var bookings = uow.Repository<Booking>();
        var byInstant = await bookings.Query().Where(b => b.Window!.Value.Contains(halfPastNineInIndia)).Select(b => b.Name).ToListAsync();
        var byWallClock = await bookings.Query().Where(b => b.Slot!.Value.Contains(halfPastElevenUtc)).Select(b => b.Name).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(byInstant, Is.EqualTo(new[] { "a" }), "the same instant in UTC, 09:30");
            Assert.That(byWallClock, Is.EqualTo(new[] { "b" }), "a tsrange holds wall-clock times: 11:30 as written");
        }
    }

    private static Booking Sample(string name) => new()
    {
        Name = name,
        Seats = new NpgsqlRange<int>(1, false, 10, true),
        Tickets = new NpgsqlRange<long>(1, true, false, 0, false, true),
        Price = new NpgsqlRange<decimal>(9.5m, true, 20m, false),
        Stay = new NpgsqlRange<DateOnly>(new DateOnly(2026, 3, 1), true, false, default, false, true),
        Slot = new NpgsqlRange<DateTime>(Nine, Nine.AddHours(8.5)),
        Window = new NpgsqlRange<DateTimeOffset>(NineUtc, true, false, default, false, true),
    };

    private async Task AddAsync(params Booking[] bookings)
    {
        await using var uow = _premix.BeginUnitOfWork();
        foreach (var booking in bookings)
        {
            uow.Repository<Booking>().Add(booking);
        }

        await uow.CommitAsync();
    }

    private async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql)).ToList();
    }
}
