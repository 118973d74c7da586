using Dapper;
using Microsoft.Extensions.Logging;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>
/// A commit whose run of new rows of one entity type reaches the bulk insert threshold (set to 5 here): on PostgreSQL the
/// rows go through binary COPY, their keys taken from the sequence first; MariaDB and SQLite keep their many-row and
/// prepared paths. On every engine the commit keeps its guarantees: keys written back to the objects that hold each
/// row's values, children given their parents' keys, hooks run once, and a failure in the middle writes nothing and
/// leaves the objects as they were (issue 17 item 4). Everything is checked through plain SQL.
/// </summary>
public sealed class BulkInsertTests(Engine engine) : PremixTest(engine)
{
    private const int Threshold = 5;

    private readonly CapturingLoggerProvider _log = new();
    private ILoggerFactory _loggerFactory = null!;
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_log).SetMinimumLevel(LogLevel.Debug));
        _premix = CreatePremix(p => p.AddModelConfiguration(new ShelfMap()).AddModelConfiguration(new BoxMap()).BulkInsertThreshold(Threshold), _loggerFactory);
        await RecreateTablesAsync(_premix);
    }

    [TearDown]
    public async Task DisposePremixAsync()
    {
        await _premix.DisposeAsync();
        _loggerFactory.Dispose();
    }

    [Test]
    public async Task Each_object_gets_the_generated_key_of_the_row_that_holds_its_values()
    {
        var shelves = Shelves(300);
        await using (var uow = _premix.BeginUnitOfWork())
        {
            shelves.ForEach(uow.Repository<Shelf>().Add);
            await uow.CommitAsync();
        }

        await using var connection = await OpenConnectionAsync();
        var stored = (await connection.QueryAsync<(long Id, string Code, string? Note)>($"SELECT {Q("Id")}, {Q("Code")}, {Q("Note")} FROM {Q("bulk_shelves")}")).ToDictionary(r => r.Id);
        Assert.That(stored, Has.Count.EqualTo(300));
        Assert.That(shelves.Select(s => s.Id).Distinct().Count(), Is.EqualTo(300), "every object has a key of its own");
        foreach (var shelf in shelves)
        {
            Assert.That(stored[shelf.Id], Is.EqualTo((shelf.Id, shelf.Code, shelf.Note)), $"the row of key {shelf.Id}");
        }
    }

    [Test]
    public async Task Children_added_with_their_parents_are_written_with_the_parents_keys()
    {
        var shelves = Shelves(20);
        foreach (var shelf in shelves)
        {
            shelf.Boxes.AddRange(Enumerable.Range(1, 3).Select(n => new Box { Label = $"{shelf.Code} box {n}" }));
        }

        await using (var uow = _premix.BeginUnitOfWork())
        {
            shelves.ForEach(uow.Repository<Shelf>().Add);
            await uow.CommitAsync();
        }

        await using var connection = await OpenConnectionAsync();
        var boxes = (await connection.QueryAsync<(string Label, long ShelfId, string Code)>(
            $"SELECT b.{Q("Label")}, b.{Q("ShelfId")}, s.{Q("Code")} FROM {Q("bulk_boxes")} b JOIN {Q("bulk_shelves")} s ON s.{Q("Id")} = b.{Q("ShelfId")}")).ToList();
        Assert.That(boxes, Has.Count.EqualTo(60));
        Assert.That(boxes.Select(b => b.Label), Is.All.Not.Null);
        foreach (var box in boxes)
        {
            Assert.That(box.Label, Does.StartWith(box.Code + " "), "each box is on the shelf it was added to");
        }

        Assert.That(shelves.SelectMany(s => s.Boxes.Select(b => (b.ShelfId, s.Id))), Is.All.Matches<(long Child, long Parent)>(p => p.Child == p.Parent), "the objects' foreign keys are the parents' keys");
    }

    [Test]
    public async Task A_duplicate_in_row_k_writes_nothing_restores_the_keys_and_keeps_the_objects_added_without_the_value_in_the_message()
    {
        var shelves = Shelves(50);
        shelves[37].Code = shelves[12].Code; // Code is unique and sensitive
        await using var uow = _premix.BeginUnitOfWork();
        shelves.ForEach(uow.Repository<Shelf>().Add);

        var error = Assert.ThrowsAsync<UniqueConstraintException>(() => uow.CommitAsync());

        Assert.That(error!.ToString(), Does.Not.Contain(shelves[12].Code), "a sensitive value is never in a message");
        Assert.That(await CountRowsAsync("bulk_shelves"), Is.Zero);
        Assert.That(shelves.Select(s => s.Id), Is.All.EqualTo(0L), "the keys taken from the sequence are undone");

        shelves[37].Code = "S-fixed";
        await uow.CommitAsync();
        Assert.That(await CountRowsAsync("bulk_shelves"), Is.EqualTo(50), "the objects stayed added, and the next commit writes them all");
        Assert.That(shelves.Select(s => s.Id).Distinct().Count(), Is.EqualTo(50));
    }

    [Test]
    public async Task Before_insert_hooks_run_once_per_object_and_what_they_set_is_written()
    {
        var shelves = Shelves(40);
        await using (var uow = _premix.BeginUnitOfWork())
        {
            shelves.ForEach(uow.Repository<Shelf>().Add);
            await uow.CommitAsync();
        }

        Assert.That(shelves.Select(s => s.HookRuns), Is.All.EqualTo(1));
        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("bulk_shelves")} WHERE {Q("Stamp")} = 'stamped'"), Is.EqualTo(40));
    }

    [Test]
    public async Task The_statement_log_shows_the_copy_with_its_row_count_and_no_values_on_PostgreSql()
    {
        var shelves = Shelves(30);
        var logged = _log.Entries.Count;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            shelves.ForEach(uow.Repository<Shelf>().Add);
            await uow.CommitAsync();
        }

        var lines = _log.Entries.Skip(logged).Select(e => e.Message).ToList();
        Assert.That(lines, Has.None.Contains(shelves[5].Code), "the rows' values are never logged");
        Assert.That(lines, Has.None.Contains(shelves[5].Note!), "the rows' values are never logged");
        if (Engine == Engine.PostgreSql)
        {
            Assert.That(lines, Has.Some.Contains($"COPY {Q("bulk_shelves")} ({Q("Id")}, {Q("Code")}, {Q("Note")}, {Q("Stamp")}) FROM STDIN (FORMAT BINARY)"));
            Assert.That(lines, Has.Some.Contains("BulkInsert (30 rows)"));
            Assert.That(lines, Has.Some.Contains("FROM generate_series(1, @rows)"), "the keys are taken first, in one query");
            Assert.That(lines, Has.None.Contains("INSERT INTO"));
        }
        else
        {
            Assert.That(lines, Has.Some.Contains("INSERT INTO"), "no bulk channel here: the many-row or prepared path");
            Assert.That(lines, Has.None.Contains("FROM STDIN"));
        }
    }

    [Test]
    public async Task Below_the_threshold_or_with_bulk_insert_turned_off_the_rows_take_the_many_row_path()
    {
        var logged = _log.Entries.Count;
        await using (var off = CreatePremix(p => p.AddModelConfiguration(new ShelfMap()).AddModelConfiguration(new BoxMap()).DisableBulkInsert(), _loggerFactory))
        await using (var uow = off.BeginUnitOfWork())
        {
            Shelves(50).ForEach(uow.Repository<Shelf>().Add);
            await uow.CommitAsync();
        }

        await using (var uow = _premix.BeginUnitOfWork())
        {
            Shelves(Threshold - 1, from: 100).ForEach(uow.Repository<Shelf>().Add);
            await uow.CommitAsync();
        }

        Assert.That(_log.Entries.Skip(logged).Select(e => e.Message), Has.None.Contains("FROM STDIN"));
        Assert.That(await CountRowsAsync("bulk_shelves"), Is.EqualTo(50 + Threshold - 1));
    }

    [Test]
    public void A_threshold_of_zero_or_less_is_refused_with_what_to_call_instead()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PremixOptionsBuilder().BulkInsertThreshold(0));
        Assert.That(error!.Message, Does.Contain("1 or more").And.Contain("DisableBulkInsert()"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PremixOptionsBuilder().BulkInsertThreshold(-3));
    }

    [TestCase("GENERATED ALWAYS AS IDENTITY")]
    [TestCase("GENERATED BY DEFAULT AS IDENTITY")]
    [TestCase("serial")]
    public async Task Keys_come_from_the_key_column_s_sequence_whatever_its_kind_on_PostgreSql_and_from_auto_increment_elsewhere(string kind)
    {
        if (Engine == Engine.PostgreSql)
        {
            // The key column as the schema declares it: an identity column of either kind, or a serial one.
            await ExecuteAsync($"DROP TABLE {Q("bulk_boxes")}");
            await ExecuteAsync($"DROP TABLE {Q("bulk_shelves")}");
            var key = kind == "serial" ? "bigserial PRIMARY KEY" : $"bigint {kind} PRIMARY KEY";
            await ExecuteAsync($"CREATE TABLE {Q("bulk_shelves")} ({Q("Id")} {key}, {Q("Code")} varchar(20) NOT NULL UNIQUE, {Q("Note")} text, {Q("Stamp")} varchar(20))");
            await ExecuteAsync($"INSERT INTO {Q("bulk_shelves")} ({Q("Code")}) VALUES ('before')"); // takes key 1 from the sequence
        }
        else
        {
            await ExecuteAsync($"INSERT INTO {Q("bulk_shelves")} ({Q("Code")}) VALUES ('before')");
        }

        var shelves = Shelves(25);
        await using (var uow = _premix.BeginUnitOfWork())
        {
            shelves.ForEach(uow.Repository<Shelf>().Add);
            await uow.CommitAsync();
        }

        await using var connection = await OpenConnectionAsync();
        var stored = (await connection.QueryAsync<(long Id, string Code)>($"SELECT {Q("Id")}, {Q("Code")} FROM {Q("bulk_shelves")}")).ToDictionary(r => r.Code, r => r.Id);
        Assert.That(stored, Has.Count.EqualTo(26));
        Assert.That(shelves.Select(s => stored[s.Code]), Is.EqualTo(shelves.Select(s => s.Id)), "each object has its row's key");
        Assert.That(shelves.Select(s => s.Id), Is.All.GreaterThan(stored["before"]), "keys after the one already taken");

        // The sequence moved past the keys taken: the next insert, by SQL, gets a key of its own.
        await ExecuteAsync($"INSERT INTO {Q("bulk_shelves")} ({Q("Code")}) VALUES ('after')");
        Assert.That(await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("bulk_shelves")} WHERE {Q("Code")} = 'after'"), Is.GreaterThan(shelves.Max(s => s.Id)));
    }

    private static List<Shelf> Shelves(int count, int from = 1) =>
        [.. Enumerable.Range(from, count).Select(n => new Shelf { Code = $"S-{n:D5}", Note = n % 4 == 0 ? null : $"note {n}" })];

    private sealed class Shelf
    {
        public long Id { get; set; }

        public string Code { get; set; } = "";

        public string? Note { get; set; }

        public string? Stamp { get; set; }

        public int HookRuns { get; set; }

        public List<Box> Boxes { get; set; } = [];
    }

    private sealed class Box
    {
        public long Id { get; set; }

        public long ShelfId { get; set; }

        public string Label { get; set; } = "";
    }

    private sealed class ShelfMap : ModelConfiguration<Shelf>
    {
        public override void Configure(EntityBuilder<Shelf> e)
        {
            e.ToTable("bulk_shelves");
            e.Property(x => x.Code).HasMaxLength(20).Sensitive();
            e.HasIndex(x => x.Code).IsUnique();
            e.Property(x => x.Stamp).HasMaxLength(20);
            e.Ignore(x => x.HookRuns);
            e.HasMany(x => x.Boxes).WithForeignKey(b => b.ShelfId);
            e.BeforeInsert(x =>
            {
                x.HookRuns++;
                x.Stamp = "stamped";
            });
        }
    }

    private sealed class BoxMap : ModelConfiguration<Box>
    {
        public override void Configure(EntityBuilder<Box> e)
        {
            e.ToTable("bulk_boxes");
            e.Property(x => x.Label).HasMaxLength(40);
        }
    }
}
