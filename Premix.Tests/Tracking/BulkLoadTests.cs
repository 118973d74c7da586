using Dapper;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Premix.Mapping;
using Premix.Providers.MySql;
using Premix.Tests.Infrastructure;
using Premix.Tests.Types;

namespace Premix.Tests.Tracking;

/// <summary>
/// Rows whose key the application assigns, past the bulk insert threshold (5 here): on MariaDB they go through
/// <c>MySqlBulkCopy</c> (<c>LOAD DATA LOCAL INFILE</c>, the connection string allowing it and the server's
/// <c>local_infile</c> ON), on PostgreSQL through binary COPY, on SQLite through its prepared path. Either way the rows
/// are stored exactly as the many-row INSERT stores them, type by type, children added with them follow with their keys,
/// and a duplicate key writes nothing and is a
/// <see cref="UniqueConstraintException"/> without the value (issue 17 item 4). Everything is checked through plain SQL.
/// </summary>
public sealed class BulkLoadTests(Engine engine) : PremixTest(engine)
{
    private const int Threshold = 5;

    private readonly CapturingLoggerProvider _log = new();
    private ILoggerFactory _loggerFactory = null!;
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_log).SetMinimumLevel(LogLevel.Debug));
        _premix = CreateBulkPremix(p => p.AddModelConfiguration(new TagMap()).AddModelConfiguration(new TagUseMap()).BulkInsertThreshold(Threshold));
        await RecreateTablesAsync(_premix);
    }

    [TearDown]
    public async Task DisposePremixAsync()
    {
        await _premix.DisposeAsync();
        _loggerFactory.Dispose();
    }

    [Test]
    public async Task Rows_with_assigned_keys_go_through_the_engine_s_bulk_channel_logged_with_their_count_but_no_values()
    {
        var tags = Tags(40);
        var logged = _log.Entries.Count;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            tags.ForEach(uow.Repository<Tag>().Add);
            await uow.CommitAsync();
        }

        await using (var connection = await OpenConnectionAsync())
        {
            var stored = (await connection.QueryAsync<(long Id, string Name, string? Note)>($"SELECT {Q("Id")}, {Q("Name")}, {Q("Note")} FROM {Q("bulk_tags")}")).ToDictionary(r => r.Id);
            Assert.That(stored, Has.Count.EqualTo(40));
            foreach (var tag in tags)
            {
                Assert.That(stored[tag.Id], Is.EqualTo((tag.Id, tag.Name, tag.Note)), $"the row of key {tag.Id}");
            }
        }

        var lines = _log.Entries.Skip(logged).Select(e => e.Message).ToList();
        Assert.That(lines, Has.None.Contains(tags[7].Name), "the rows' values are never logged");
        switch (Engine)
        {
            case Engine.MySql:
                Assert.That(lines, Has.Some.Contains($"LOAD DATA LOCAL INFILE (MySqlBulkCopy) INTO TABLE {Q("bulk_tags")} ({Q("Id")}, {Q("Name")}, {Q("Note")})"));
                Assert.That(lines, Has.Some.Contains("BulkInsert (40 rows)"));
                Assert.That(lines, Has.None.Contains("INSERT INTO"));
                break;
            case Engine.PostgreSql:
                Assert.That(lines, Has.Some.Contains("FROM STDIN (FORMAT BINARY)"));
                Assert.That(lines, Has.None.Contains("INSERT INTO"));
                break;
            default:
                Assert.That(lines, Has.Some.Contains("INSERT INTO"), "no bulk channel here: the prepared path");
                break;
        }
    }

    [Test]
    public async Task Children_added_with_loaded_parents_are_written_after_them_with_their_keys_in_the_same_commit()
    {
        var tags = Tags(12);
        foreach (var tag in tags)
        {
            tag.Uses.AddRange(Enumerable.Range(1, 2).Select(n => new TagUse { Place = $"{tag.Id}/{n}" }));
        }

        await using (var uow = _premix.BeginUnitOfWork())
        {
            tags.ForEach(uow.Repository<Tag>().Add);
            await uow.CommitAsync();
        }

        await using var connection = await OpenConnectionAsync();
        var uses = (await connection.QueryAsync<(string Place, long TagId)>($"SELECT u.{Q("Place")}, u.{Q("TagId")} FROM {Q("bulk_tag_uses")} u JOIN {Q("bulk_tags")} t ON t.{Q("Id")} = u.{Q("TagId")}")).ToList();
        Assert.That(uses, Has.Count.EqualTo(24), "every child found its parent through the foreign key");
        Assert.That(uses.All(u => u.Place.StartsWith(u.TagId + "/", StringComparison.Ordinal)), Is.True, "each child has its own parent's key");
    }

    [Test]
    public async Task A_duplicate_key_in_the_run_writes_nothing_and_is_a_UniqueConstraintException_without_the_value()
    {
        await ExecuteAsync($"INSERT INTO {Q("bulk_tags")} ({Q("Id")}, {Q("Name")}) VALUES (1017, 'already there')");
        var tags = Tags(30);
        await using var uow = _premix.BeginUnitOfWork();
        tags.ForEach(uow.Repository<Tag>().Add);
        var error = Assert.ThrowsAsync<UniqueConstraintException>(async () => await uow.CommitAsync());
        Assert.That(error!.Message, Does.Not.Contain("1017"), "the duplicate value is masked");
        Assert.That(await CountRowsAsync("bulk_tags"), Is.EqualTo(1), "the rows before and after the duplicate are rolled back");
        Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("bulk_tags")} WHERE {Q("Id")} = 1017"), Is.EqualTo("already there"), "the row already there is unchanged");

        uow.Repository<Tag>().Remove(tags.Single(t => t.Id == 1017));
        await uow.CommitAsync();
        Assert.That(await CountRowsAsync("bulk_tags"), Is.EqualTo(30), "the objects stayed added: the commit succeeds once the duplicate is gone");
    }

    [Test]
    public async Task Rows_of_every_supported_type_are_stored_as_the_many_row_insert_stores_them()
    {
        var logged = _log.Entries.Count;
        await using (var bulk = CreateBulkPremix(p => p.AddModelConfiguration(new AssignedTypeSampleMap()).BulkInsertThreshold(2)))
        {
            await RecreateTablesAsync(bulk);
            await InsertAsync(bulk, from: 0);
        }

        await using (var usual = CreateBulkPremix(p => p.AddModelConfiguration(new AssignedTypeSampleMap()).DisableBulkInsert()))
        {
            await InsertAsync(usual, from: 100);
        }

        if (Engine == Engine.MySql)
        {
            Assert.That(_log.Entries.Skip(logged).Select(e => e.Message), Has.Some.Contains("LOAD DATA LOCAL INFILE"), "the first rows went through MySqlBulkCopy");
        }

        await using var connection = await OpenConnectionAsync();
        var rows = (await connection.QueryAsync($"SELECT * FROM {Q("bulk_type_samples")} ORDER BY {Q("Id")}")).Cast<IDictionary<string, object?>>().ToList();
        var samples = Samples(0);
        Assert.That(rows, Has.Count.EqualTo(2 * samples.Count));
        for (var i = 0; i < samples.Count; i++)
        {
            var loaded = rows[i].Where(c => c.Key != "Id").ToList();
            var inserted = rows[i + samples.Count].Where(c => c.Key != "Id").ToList();
            Assert.That(loaded, Is.EqualTo(inserted), $"sample {i}");
        }

        Assert.That(rows[0]["Text"], Is.EqualTo(samples[0].Text), "tabs, newlines, backslashes, \\N and unicode come back as written");
    }

    private IPremix CreateBulkPremix(Action<PremixOptionsBuilder> configure) => Engine == Engine.MySql
        ? PremixFactory.Create(p => configure(p.UseProvider(new MySqlProvider(new MySqlConnectionStringBuilder(ConnectionString) { AllowLoadLocalInfile = true }.ConnectionString))), _loggerFactory)
        : CreatePremix(configure, _loggerFactory);

    private static async Task InsertAsync(IPremix premix, int from)
    {
        await using var uow = premix.BeginUnitOfWork();
        Samples(from).ForEach(uow.Repository<TypeSample>().Add);
        await uow.CommitAsync();
    }

    private static List<Tag> Tags(int count) =>
        [.. Enumerable.Range(1001, count).Select(i => new Tag { Id = i, Name = $"tag-{i}-secret", Note = i % 3 == 0 ? null : $"note\t{i}\n\\" })];

    // TypeSample's values, each kind of text a tab-separated load escapes among them, with keys the test assigns.
    private static List<TypeSample> Samples(int from)
    {
        var texts = new[] { "tab\there", "line\nbreak\r\nend", @"back\slash \N \\N", "é ✓ 😀 'q' \"d\"", "", @"\" };
        return
        [
            .. Enumerable.Range(0, texts.Length).Select(i => new TypeSample
            {
                Id = from + i + 1, Flag = i % 2 == 0, Byte = (byte)(250 + i), Short = (short)(-30000 + i), Int = int.MinValue + i, Long = long.MaxValue - i,
                Money = 12345.6789m + i, Plain = -0.5m * i, Rounded = 2.5m + i, Double = Math.PI * i, Float = 1.5f / (i + 1),
                Text = texts[i], Essay = new string('x', 100 * i) + "\t\\", Guid = new Guid(i + 1, 2, 3, [4, 5, 6, 7, 8, 9, 10, 11]),
                When = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Unspecified).AddTicks(i * 10), WhenWithOffset = new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.FromHours(i - 3)),
                Day = new DateOnly(2000 + (4 * i), 2, 29), Time = new TimeOnly(23, 59, 59, 999), Span = TimeSpan.FromMinutes(-90 * i), Bytes = [0, (byte)i, 9, 10, 92, 255],
                ColorNumber = (Color)(i % 3), ColorText = (Color)((i + 1) % 3),
                NFlag = i % 2 == 0 ? null : true, NByte = i % 2 == 0 ? null : (byte)i, NShort = i % 2 == 0 ? null : (short)i, NInt = i % 2 == 0 ? null : i,
                NLong = i % 2 == 0 ? null : i, NMoney = i % 2 == 0 ? null : i / 8m, NDouble = i % 2 == 0 ? null : -i, NFloat = i % 2 == 0 ? null : i,
                NText = i % 2 == 0 ? null : "n\t" + i, NGuid = i % 2 == 0 ? null : Guid.Empty, NWhen = i % 2 == 0 ? null : new DateTime(1999, 12, 31, 23, 59, 59),
                NWhenWithOffset = i % 2 == 0 ? null : DateTimeOffset.UnixEpoch, NDay = i % 2 == 0 ? null : DateOnly.MinValue, NTime = i % 2 == 0 ? null : TimeOnly.MinValue,
                NSpan = i % 2 == 0 ? null : TimeSpan.Zero, NBytes = i % 2 == 0 ? null : [], NColorNumber = i % 2 == 0 ? null : Color.Blue, NColorText = i % 2 == 0 ? null : Color.Green,
            }),
        ];
    }

    public sealed class Tag
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public string? Note { get; set; }

        public List<TagUse> Uses { get; set; } = [];
    }

    public sealed class TagUse
    {
        public long Id { get; set; }

        public long TagId { get; set; }

        public string Place { get; set; } = "";
    }

    private sealed class TagMap : ModelConfiguration<Tag>
    {
        public override void Configure(EntityBuilder<Tag> e)
        {
            e.ToTable("bulk_tags");
            e.HasKey(x => x.Id).IsClientAssigned();
            e.Property(x => x.Name).HasMaxLength(40).Sensitive();
            e.Property(x => x.Note).HasMaxLength(40);
            e.HasMany(x => x.Uses).WithForeignKey(u => u.TagId);
        }
    }

    private sealed class TagUseMap : ModelConfiguration<TagUse>
    {
        public override void Configure(EntityBuilder<TagUse> e)
        {
            e.ToTable("bulk_tag_uses");
            e.Property(x => x.Place).HasMaxLength(40);
        }
    }

    // TypeSampleMap's columns, with the key assigned by the application (a generated key keeps MariaDB's many-row INSERT).
    private sealed class AssignedTypeSampleMap : ModelConfiguration<TypeSample>
    {
        public override void Configure(EntityBuilder<TypeSample> e)
        {
            new TypeSampleMap().Configure(e);
            e.ToTable("bulk_type_samples");
            e.HasKey(x => x.Id).IsClientAssigned();
        }
    }
}
