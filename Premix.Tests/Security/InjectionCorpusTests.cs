using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Security;

/// <summary>
/// An injection corpus written through the unit of work and through raw SQL, then read back by key, by a filter and
/// raw: every value comes back byte-exact, because values only ever travel as parameters. On MariaDB it runs again with
/// <c>NO_BACKSLASH_ESCAPES</c>, where MySqlConnector (which interpolates parameters client-side) must escape differently.
/// </summary>
public sealed class InjectionCorpusTests(Engine engine) : PremixTest(engine)
{
    private const string Nul = "\0";

    private static readonly string[] Corpus =
    [
        "'", "''", "\\", "\\'", "'\\", "\\\\'", "\"", "`", "\\\"", "'; DROP TABLE injection_notes; --", "\"; DROP TABLE injection_notes; --",
        "--", "-- comment", "/* c */", "*/", "%", "_", "%_\\%", "?", "@p0", "$1", ":name", "{0}", "${x}",
        "\\0", "\\x00", "\\n", "\r\n\t", "a" + Nul + "b", Nul, Nul + "'--", "é", "日本語", "😀", "\u202e", "\uFEFF", "Ω≈ç√",
    ];

    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTableAsync() => _premix = await CreatePremixWithTablesAsync(new NoteMap());

    [Test]
    public async Task Every_value_round_trips_byte_exact()
    {
        await RoundTripAsync(_premix, noBackslashEscapes: false);
        if (Engine == Engine.MySql)
        {
            // MySqlConnector writes parameters into the statement text itself, so it must know the server's escaping
            // rules: a server running NO_BACKSLASH_ESCAPES needs "No Backslash Escapes=true" (docs/types.md).
            var noEscapes = PremixFactory.Create(p => p.UseMySql(ConnectionString + ";No Backslash Escapes=true").AddModelConfiguration(new NoteMap()));
            await RecreateTablesAsync(noEscapes);
            await RoundTripAsync(noEscapes, noBackslashEscapes: true);
        }
    }

    private async Task RoundTripAsync(IPremix premix, bool noBackslashEscapes)
    {
        // PostgreSQL's text types cannot hold U+0000 at all (docs/types.md); there the bytes of those values still round-trip.
        var texts = Engine == Engine.PostgreSql ? Corpus.Where(c => !c.Contains(Nul, StringComparison.Ordinal)).ToArray() : Corpus;
        await using var uow = premix.BeginUnitOfWork();
        if (noBackslashEscapes)
        {
            // Session-wide and on the unit of work's one connection; the pool resets it when the connection is returned.
            await uow.Raw("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')").ExecuteAsync();
            Assert.That(await uow.Raw("SELECT @@SESSION.sql_mode").ScalarAs<string>(), Does.Contain("NO_BACKSLASH_ESCAPES"));
        }

        var notes = Corpus.Select(c => new Note { Text = texts.Contains(c) ? c : "(no NUL in text)", Bytes = System.Text.Encoding.UTF8.GetBytes(c) }).ToList();
        foreach (var note in notes)
        {
            uow.Repository<Note>().Add(note);
        }

        await uow.CommitAsync();
        foreach (var text in texts)
        {
            await uow.Raw($"INSERT INTO {I("injection_notes")} ({I("Text")}, {I("Bytes")}) VALUES ({text}, {System.Text.Encoding.UTF8.GetBytes(text)})").ExecuteAsync();
        }

        await uow.CommitAsync();

        var rows = await uow.Raw($"SELECT {I("Id")} AS Id, {I("Text")} AS Text, {I("Bytes")} AS Bytes FROM {I("injection_notes")}").FetchAs<NoteRow>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows, Has.Count.EqualTo(notes.Count + texts.Length), "no statement was cut short or doubled");
            foreach (var note in notes)
            {
                var row = rows.Single(r => r.Id == note.Id);
                Assert.That(row.Bytes, Is.EqualTo(note.Bytes), $"bytes of {Escape(note.Text)} (NO_BACKSLASH_ESCAPES: {noBackslashEscapes})");
                Assert.That(Ordinal(row.Text, note.Text), Is.True, $"written by the unit of work: {Escape(note.Text)} came back as {Escape(row.Text)} (NO_BACKSLASH_ESCAPES: {noBackslashEscapes})");
            }

            foreach (var text in texts)
            {
                Assert.That(rows.Count(r => Ordinal(r.Text, text)), Is.EqualTo(2), $"written raw and by the unit of work: {Escape(text)}");
                var matched = await uow.Repository<Note>().Query().AsNoTracking().Where(n => n.Text == text).ToListAsync();
                Assert.That(matched.Count(m => Ordinal(m.Text, text)), Is.EqualTo(2), $"found by a filter: {Escape(text)}");
                var byHole = await uow.Raw($"SELECT {I("Text")} FROM {I("injection_notes")} WHERE {I("Text")} = {text}").ReadOnly().FetchAs<string>();
                Assert.That(byHole.Count(m => Ordinal(m, text)), Is.EqualTo(2), $"found by a hole of Raw($\"...\"): {Escape(text)}");
            }
        }
    }

    [Test]
    public async Task Attacks_in_a_hole_of_an_interpolated_raw_statement_match_nothing_and_delete_nothing()
    {
        await SeedAsync("Ada", "Bob");

        var everyRow = await _premix.Raw($"SELECT {I("Text")} FROM {I("injection_notes")} WHERE {I("Text")} = {"nobody' OR '1'='1"}").FetchAs<string>();
        var deleted = await _premix.Raw($"DELETE FROM {I("injection_notes")} WHERE {I("Text")} = {"x'; DELETE FROM injection_notes; --"}").ExecuteAsync();

        Assert.That((everyRow.Count, deleted), Is.EqualTo((0, 0)));
        Assert.That(await CountRowsAsync("injection_notes"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_hole_written_inside_quotes_is_refused_before_any_sql_naming_the_fix()
    {
        await SeedAsync("Ada", "Bob");
        var attack = "x'; DELETE FROM injection_notes; --"; // input, never a constant: a constant interpolated string is plain text

        var inString = Assert.Throws<ArgumentException>(() => _premix.Raw($"DELETE FROM {I("injection_notes")} WHERE {I("Text")} = '{attack}'"));
        var inLike = Assert.Throws<ArgumentException>(() => _premix.Raw($"SELECT {I("Text")} FROM {I("injection_notes")} WHERE {I("Text")} LIKE '%{attack}%'"));
        var inComment = Assert.Throws<ArgumentException>(() => _premix.Raw($"SELECT 1 -- {attack}"));
        var quotedName = Assert.Throws<ArgumentException>(() => _premix.Raw($"SELECT * FROM \"{I("injection_notes")}\""));
        var afterQuotes = _premix.Raw($"SELECT {I("Text")} FROM {I("injection_notes")} WHERE {I("Text")} <> 'it''s' AND {I("Text")} = {attack} /* it's */");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(inString!.Message, Does.Contain("inside a string literal").And.Contain("not '{name}'"));
            Assert.That(inLike!.Message, Does.Contain("inside a string literal").And.Contain("LIKE pattern"));
            Assert.That(inComment!.Message, Does.Contain("inside a comment"));
            Assert.That(quotedName!.Message, Does.Contain("inside a quoted identifier").And.Contain("RawSql.Identifier"));
            Assert.That(await afterQuotes.FetchAs<string>(), Is.Empty, "quotes closed before the hole: a parameter");
            Assert.That(await CountRowsAsync("injection_notes"), Is.EqualTo(2), "nothing ran");
        }
    }

    [Test]
    public async Task A_list_in_a_hole_after_IN_is_expanded_into_parameters()
    {
        await SeedAsync("Ada", "Bob", "Cy");
        string[] names = ["Ada", "Cy", "' OR '1'='1"];

        var found = await _premix.Raw($"SELECT {I("Text")} FROM {I("injection_notes")} WHERE {I("Text")} IN {names} ORDER BY {I("Text")}").ReadOnly().FetchAs<string>();

        Assert.That(found, Is.EqualTo(new[] { "Ada", "Cy" }));
    }

    [Test]
    public void A_hole_with_a_format_is_refused_because_a_parameter_is_never_formatted()
    {
        var today = new DateTime(2026, 12, 4, 0, 0, 0, DateTimeKind.Utc);

        var error = Assert.Throws<ArgumentException>(() => _premix.Raw($"SELECT {today:yyyy-MM-dd}"));

        Assert.That(error!.Message, Does.Contain("takes no format (':yyyy-MM-dd')"));
    }

    private async Task SeedAsync(params string[] texts)
    {
        await using var uow = _premix.BeginUnitOfWork();
        foreach (var text in texts)
        {
            uow.Repository<Note>().Add(new Note { Text = text });
        }

        await uow.CommitAsync();
    }

    private static bool Ordinal(string? a, string? b) => string.Equals(a, b, StringComparison.Ordinal);

    private static string Escape(string? text) => text is null ? "null" : string.Concat(text.Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:x4}" : c.ToString()));

    public sealed class Note
    {
        public long Id { get; set; }

        public string Text { get; set; } = "";

        public byte[]? Bytes { get; set; }
    }

    private sealed class NoteMap : ModelConfiguration<Note>
    {
        public override void Configure(EntityBuilder<Note> e)
        {
            e.ToTable("injection_notes");
            e.HasKey(n => n.Id);
        }
    }

    private sealed record NoteRow(long Id, string Text, byte[]? Bytes);
}
