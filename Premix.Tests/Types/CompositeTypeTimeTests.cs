using Dapper;
using Premix.Migrations;
using Premix.Providers.PostgreSql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// Time attributes of a composite type (<see cref="VisitMap"/>) through a session whose time zone is not UTC
/// (Europe/Berlin): a <see cref="DateTime"/> of each kind is stored as its wall-clock time (<c>timestamp</c>), a
/// <see cref="DateTimeOffset"/> at any offset as its instant (<c>timestamptz</c>), neither shifted by the session, and read
/// back the same; the values are checked as text through plain SQL on the fixture's own connection.
/// </summary>
[TestFixtureSource(nameof(PostgreSqlOnly))]
public sealed class CompositeTypeTimeTests(Engine engine) : PremixTest(engine)
{
    private const string Stamp = "YYYY-MM-DD HH24:MI:SS.MS";
    private static readonly DateTime Wall = new(2026, 7, 1, 12, 34, 56, 789);
    private static readonly DateTimeOffset Instant = new(Wall, TimeSpan.FromHours(5.5)); // 07:04:56.789 UTC

    private PostgreSqlProvider _provider = null!;
    private IPremix _premix = null!;

    /// <summary>Composite types are PostgreSQL's own.</summary>
    public static IEnumerable<Engine> PostgreSqlOnly { get; } = [Engine.PostgreSql];

    [SetUp]
    public async Task CreatePremixInABerlinSessionAsync()
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q(VisitMap.Table)}");
        await ExecuteAsync($"DROP TYPE IF EXISTS {VisitMap.TypeName}");
        _provider = new PostgreSqlProvider(ConnectionString + ";Timezone=Europe/Berlin");
        _premix = PremixFactory.Create(p => p.UseProvider(_provider).AddModelConfiguration(new VisitMap()));
        await _premix.SyncAsync();
        await using var check = _provider.CreateConnection();
        await check.OpenAsync();
        Assert.That(await check.ExecuteScalarAsync<string>("SHOW TimeZone"), Is.EqualTo("Europe/Berlin"), "the session's time zone");
    }

    [TearDown]
    public async Task DisposePremixAsync()
    {
        _premix.Dispose();
        await _provider.DisposeAsync();
    }

    [Test]
    public async Task Sync_types_a_DateTime_attribute_timestamp_and_a_DateTimeOffset_attribute_timestamptz_and_a_diff_after_it_is_empty()
    {
        var attributes = await ListAsync<(string Name, string Type)>(
            $"SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = (SELECT typrelid FROM pg_type WHERE typname = '{VisitMap.TypeName}') ORDER BY a.attnum");

        Assert.That(attributes, Is.EqualTo(new[]
        {
            ("Starts", "timestamp without time zone"), ("Ends", "timestamp without time zone"),
            ("Booked", "timestamp with time zone"), ("Confirmed", "timestamp with time zone"),
        }));
        Assert.That((await _premix.DiffAsync()).Operations, Is.Empty);
    }

    [Test]
    public async Task DateTime_attributes_of_every_kind_keep_their_wall_clock_time_and_DateTimeOffset_attributes_their_instant()
    {
        var visits = new[] { DateTimeKind.Utc, DateTimeKind.Local, DateTimeKind.Unspecified }.Select(kind => new Visit
        {
            Name = kind.ToString(),
            Slot = new VisitSlot { Starts = DateTime.SpecifyKind(Wall, kind), Ends = DateTime.SpecifyKind(Wall.AddHours(1), kind), Booked = Instant, Confirmed = kind == DateTimeKind.Utc ? null : Instant.ToOffset(TimeSpan.FromHours(-7)) },
        }).ToList();

        await using (var uow = _premix.BeginUnitOfWork())
        {
            visits.ForEach(uow.Repository<Visit>().Add);
            await uow.CommitAsync();
        }

        var rows = await ListAsync<(string Name, string Starts, string Ends, string Booked, string? Confirmed)>(
            $"SELECT \"Name\", to_char((\"Slot\").\"Starts\", '{Stamp}'), to_char((\"Slot\").\"Ends\", '{Stamp}'), to_char((\"Slot\").\"Booked\" AT TIME ZONE 'UTC', '{Stamp}'), to_char((\"Slot\").\"Confirmed\" AT TIME ZONE 'UTC', '{Stamp}') FROM {Q(VisitMap.Table)} ORDER BY \"Id\"");
        Assert.That(rows, Is.EqualTo(new (string, string, string, string, string?)[]
        {
            ("Utc", "2026-07-01 12:34:56.789", "2026-07-01 13:34:56.789", "2026-07-01 07:04:56.789", null),
            ("Local", "2026-07-01 12:34:56.789", "2026-07-01 13:34:56.789", "2026-07-01 07:04:56.789", "2026-07-01 07:04:56.789"),
            ("Unspecified", "2026-07-01 12:34:56.789", "2026-07-01 13:34:56.789", "2026-07-01 07:04:56.789", "2026-07-01 07:04:56.789"),
        }));
        Assert.That(visits.Select(v => v.Slot.Starts.Kind), Is.EqualTo(new[] { DateTimeKind.Utc, DateTimeKind.Local, DateTimeKind.Unspecified }), "the application's objects are left as they are");

        await using var reading = _premix.BeginUnitOfWork();
        var read = await reading.Repository<Visit>().Query().OrderBy(v => v.Id).ToListAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(read.Select(v => (v.Slot.Starts.Ticks, v.Slot.Starts.Kind, v.Slot.Ends)), Is.All.EqualTo((Wall.Ticks, DateTimeKind.Unspecified, (DateTime?)Wall.AddHours(1))));
            Assert.That(read.Select(v => (v.Slot.Booked.UtcDateTime, v.Slot.Booked.Offset)), Is.All.EqualTo((Instant.UtcDateTime, TimeSpan.Zero)));
            Assert.That(read.Select(v => v.Slot.Confirmed), Is.EqualTo(new DateTimeOffset?[] { null, Instant, Instant }));
            Assert.That(reading.HasPendingChanges, Is.False, "values read back compare equal to their snapshots");
        }
    }

    [Test]
    public async Task A_changed_time_attribute_is_updated_without_shifting_and_Where_compares_wall_clock_time_and_instants()
    {
        await ExecuteAsync($"INSERT INTO {Q(VisitMap.Table)} (\"Name\", \"Slot\") VALUES ('a', ROW('2026-07-01 12:34:56.789', NULL, '2026-07-01 07:04:56.789+00', NULL)), ('b', ROW('2026-01-01 00:00:00', NULL, '2026-01-01 00:00:00+00', NULL))");

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var visits = uow.Repository<Visit>();
            var utcWall = DateTime.SpecifyKind(Wall, DateTimeKind.Utc);
            var byWallClock = await visits.Query().Where(v => v.Slot.Starts == utcWall).Select(v => v.Name).ToListAsync();
            var byInstant = await visits.Query().Where(v => v.Slot.Booked == Instant).Select(v => v.Name).ToListAsync();
            Assert.That((byWallClock, byInstant), Is.EqualTo((new List<string> { "a" }, new List<string> { "a" })));

            var b = await visits.Query().Where(v => v.Name == "b").SingleAsync();
            b.Slot.Starts = DateTime.SpecifyKind(Wall, DateTimeKind.Local);
            b.Slot.Confirmed = Instant;
            await uow.CommitAsync();
        }

        Assert.That(await ScalarAsync<string>($"SELECT to_char((\"Slot\").\"Starts\", '{Stamp}') || ' ' || to_char((\"Slot\").\"Confirmed\" AT TIME ZONE 'UTC', '{Stamp}') FROM {Q(VisitMap.Table)} WHERE \"Name\" = 'b'"),
            Is.EqualTo("2026-07-01 12:34:56.789 2026-07-01 07:04:56.789"));
    }

    private async Task<List<T>> ListAsync<T>(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql)).ToList();
    }
}
