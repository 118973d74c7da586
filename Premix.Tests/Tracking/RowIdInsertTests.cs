using Dapper;
using Premix.Mapping;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>
/// SQLite's rowid path for a run of inserts with generated keys (issue 17 item 2): the first row goes with <c>RETURNING</c>
/// and, when the key it returns is the connection's last inserted rowid, the other rows go without <c>RETURNING</c>, each
/// key read from <c>sqlite3_last_insert_rowid</c>. A key column that only looks like the rowid keeps today's behaviour.
/// On PostgreSQL and MariaDB (no rowids) the same commits prove the path is never taken and the keys still come back right.
/// </summary>
public sealed class RowIdInsertTests(Engine engine) : PremixTest(engine)
{
    private const int Rows = 40;
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreatePremixAsync()
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q("notes")}");
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q("counted_notes")}");
        _premix = CreatePremix(p => p.AddModelConfiguration(new NoteMap()).AddModelConfiguration(new CountedNoteMap()));
    }

    [TearDown]
    public async Task DisposePremixAsync() => await _premix.DisposeAsync();

    [TestCase("INTEGER PRIMARY KEY")]
    [TestCase("INTEGER PRIMARY KEY AUTOINCREMENT")]
    public async Task A_run_of_inserts_into_a_rowid_keyed_table_gets_the_ids_of_the_rows_that_hold_their_values(string sqliteKey)
    {
        await CreateNotesAsync(sqliteKey, Identity);
        // A row inserted and deleted before: AUTOINCREMENT never reuses its rowid, so the keys start above it.
        await ExecuteAsync($"INSERT INTO {Q("notes")} ({Q("Id")}, {Q("Body")}) VALUES (500, 'gone')");
        await ExecuteAsync($"DELETE FROM {Q("notes")}");
        var notes = NewNotes();

        await CommitAsync(notes);

        await AssertStoredAsync(notes.Select(n => (n.Id, n.Body)));
        if (Engine == Engine.Sqlite && sqliteKey.EndsWith("AUTOINCREMENT", StringComparison.Ordinal))
        {
            Assert.That(notes.Select(n => n.Id), Is.All.GreaterThan(500L), "AUTOINCREMENT's keys continue its sequence");
        }
    }

    [Test]
    public async Task An_int_key_of_a_rowid_table_comes_back_from_the_rowid_too()
    {
        await CreateNotesAsync("INTEGER PRIMARY KEY AUTOINCREMENT", Identity, table: "counted_notes");
        var notes = Enumerable.Range(1, Rows).Select(n => new CountedNote { Body = $"note {n}" }).ToList();

        await using (var uow = _premix.BeginUnitOfWork())
        {
            notes.ForEach(uow.Repository<CountedNote>().Add);
            await uow.CommitAsync();
        }

        await AssertStoredAsync(notes.Select(n => ((long)n.Id, n.Body)), table: "counted_notes");
    }

    [Test]
    public async Task The_statements_sent_are_one_insert_with_returning_then_plain_inserts_on_sqlite_only()
    {
        await CreateNotesAsync("INTEGER PRIMARY KEY", Identity);
        var notes = NewNotes();
        var plan = _premix.GetPlan<Note>();

        IReadOnlyList<string> sent;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            notes.ForEach(uow.Repository<Note>().Add);
            using var queries = _premix.RecordQueries();
            await uow.CommitAsync();
            sent = queries.Statements.Where(s => s.Kind == StatementKind.Insert).Select(s => s.Sql).ToList();
        }

        if (Engine == Engine.Sqlite)
        {
            Assert.That(plan.Insert.Sql, Does.Contain("RETURNING"));
            Assert.That(sent, Is.EqualTo(new[] { plan.Insert.Sql }.Concat(Enumerable.Repeat(plan.Insert.Sql[..plan.Insert.Sql.IndexOf(" RETURNING", StringComparison.Ordinal)], Rows - 1))));
        }
        else
        {
            Assert.That(sent, Is.Not.Empty.And.All.Contain("RETURNING"), "every insert returns its keys: no engine but SQLite has rowids");
        }

        await AssertStoredAsync(notes.Select(n => (n.Id, n.Body)));
    }

    [TestCase("INT PRIMARY KEY")]
    [TestCase("INTEGER PRIMARY KEY DESC")]
    public async Task A_key_column_that_is_not_the_rowid_fails_as_before_and_writes_nothing(string sqliteKey)
    {
        // Neither is an alias of the rowid: SQLite stores the NULL it is given and RETURNING answers NULL.
        await CreateNotesAsync(sqliteKey, "BIGINT PRIMARY KEY");
        var notes = NewNotes();

        await using var uow = _premix.BeginUnitOfWork();
        notes.ForEach(uow.Repository<Note>().Add);
        var error = Assert.ThrowsAsync(Is.InstanceOf<PremixException>(), () => uow.CommitAsync());

        if (Engine == Engine.Sqlite)
        {
            Assert.That(error!.Message, Does.Contain("returned no generated key"));
        }

        Assert.That(await CountRowsAsync("notes"), Is.Zero);
        Assert.That(notes.Select(n => n.Id), Is.All.EqualTo(0L));
    }

    [Test]
    public async Task A_without_rowid_table_whose_key_comes_from_a_default_keeps_every_row_on_returning()
    {
        await CreateNotesAsync(
            "INTEGER PRIMARY KEY DEFAULT (abs(random()) % 1000000000000)",
            Engine == Engine.PostgreSql ? "BIGINT PRIMARY KEY DEFAULT (floor(random() * 1000000000000))::bigint" : "BIGINT PRIMARY KEY DEFAULT (FLOOR(RAND() * 1000000000000))",
            sqliteSuffix: " WITHOUT ROWID");
        var notes = NewNotes();

        IReadOnlyList<string> sent;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            notes.ForEach(uow.Repository<Note>().Add);
            using var queries = _premix.RecordQueries();
            await uow.CommitAsync();
            sent = queries.Statements.Where(s => s.Kind == StatementKind.Insert).Select(s => s.Sql).ToList();
        }

        Assert.That(sent, Is.Not.Empty.And.All.Contain("RETURNING"), "the rowid the connection reports is no row's key here");
        await AssertStoredAsync(notes.Select(n => (n.Id, n.Body)));
    }

    [Test]
    public async Task A_failure_in_a_later_row_writes_nothing_and_leaves_every_key_unset()
    {
        await CreateNotesAsync("INTEGER PRIMARY KEY", Identity);
        await ExecuteAsync($"INSERT INTO {Q("notes")} ({Q("Body")}) VALUES ('note 17')");
        var notes = NewNotes();

        await using var uow = _premix.BeginUnitOfWork();
        notes.ForEach(uow.Repository<Note>().Add);
        var error = Assert.ThrowsAsync<UniqueConstraintException>(() => uow.CommitAsync());

        Assert.That(error!.Message, Does.Contain("notes").IgnoreCase);
        Assert.That(await CountRowsAsync("notes"), Is.EqualTo(1), "the rows inserted before the failing one are rolled back");
        Assert.That(notes.Select(n => n.Id), Is.All.EqualTo(0L), "the keys read back are undone");
    }

    [Test]
    public async Task A_row_a_trigger_drops_stops_the_commit_instead_of_taking_another_rows_key()
    {
        await CreateNotesAsync("INTEGER PRIMARY KEY", Identity);
        // SQLite and PostgreSQL skip the row quietly (RAISE(IGNORE), a BEFORE trigger returning NULL): SQLite's rowid then
        // stays the previous row's. MariaDB has no quiet skip; its trigger refuses the row with an error.
        await ExecuteAsync(Engine switch
        {
            Engine.Sqlite => $"CREATE TRIGGER {Q("skip_note")} BEFORE INSERT ON {Q("notes")} WHEN NEW.{Q("Body")} = 'note 9' BEGIN SELECT RAISE(IGNORE); END",
            Engine.PostgreSql => "CREATE OR REPLACE FUNCTION skip_note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.\"Body\" = 'note 9' THEN RETURN NULL; END IF; RETURN NEW; END $$",
            _ => $"CREATE TRIGGER {Q("skip_note")} BEFORE INSERT ON {Q("notes")} FOR EACH ROW BEGIN IF NEW.{Q("Body")} = 'note 9' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused'; END IF; END",
        });
        if (Engine == Engine.PostgreSql)
        {
            await ExecuteAsync($"CREATE TRIGGER skip_note BEFORE INSERT ON {Q("notes")} FOR EACH ROW EXECUTE FUNCTION skip_note()");
        }

        var notes = NewNotes();
        await using var uow = _premix.BeginUnitOfWork();
        notes.ForEach(uow.Repository<Note>().Add);
        var error = Assert.ThrowsAsync(Is.InstanceOf<PremixException>(), () => uow.CommitAsync());

        if (Engine == Engine.Sqlite)
        {
            Assert.That(error!.Message, Does.Contain("Note").And.Contain("last inserted rowid unchanged"));
        }

        Assert.That(await CountRowsAsync("notes"), Is.Zero, "the rows inserted before it are rolled back");
        Assert.That(notes.Select(n => n.Id), Is.All.EqualTo(0L));
    }

    private string Identity => Engine == Engine.PostgreSql ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" : "BIGINT AUTO_INCREMENT PRIMARY KEY";

    private static List<Note> NewNotes() => Enumerable.Range(1, Rows).Select(n => new Note { Body = $"note {n}" }).ToList();

    // The key column as given for SQLite, or for the server engines.
    private Task CreateNotesAsync(string sqliteKey, string serverKey, string sqliteSuffix = "", string table = "notes") =>
        ExecuteAsync(Engine == Engine.Sqlite
            ? $"CREATE TABLE {Q(table)} ({Q("Id")} {sqliteKey}, {Q("Body")} TEXT NOT NULL UNIQUE){sqliteSuffix}"
            : $"CREATE TABLE {Q(table)} ({Q("Id")} {serverKey}, {Q("Body")} VARCHAR(100) NOT NULL UNIQUE)");

    private async Task CommitAsync(List<Note> notes)
    {
        await using var uow = _premix.BeginUnitOfWork();
        notes.ForEach(uow.Repository<Note>().Add);
        await uow.CommitAsync();
    }

    // Every object's key is the id of the row that holds its body, read by plain SQL, and no other row exists.
    private async Task AssertStoredAsync(IEnumerable<(long Id, string Body)> expected, string table = "notes")
    {
        await using var connection = await OpenConnectionAsync();
        var stored = (await connection.QueryAsync<(long Id, string Body)>($"SELECT {Q("Id")}, {Q("Body")} FROM {Q(table)}")).ToList();
        Assert.That(stored, Is.EquivalentTo(expected));
        Assert.That(stored.Select(r => r.Id).Distinct().Count(), Is.EqualTo(Rows));
    }

    private sealed class Note
    {
        public long Id { get; set; }

        public string Body { get; set; } = "";
    }

    private sealed class CountedNote
    {
        public int Id { get; set; }

        public string Body { get; set; } = "";
    }

    private sealed class NoteMap : ModelConfiguration<Note>
    {
        public override void Configure(EntityBuilder<Note> e) => e.ToTable("notes");
    }

    private sealed class CountedNoteMap : ModelConfiguration<CountedNote>
    {
        public override void Configure(EntityBuilder<CountedNote> e) => e.ToTable("counted_notes");
    }
}
