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
            }
        }
    }

    [Test]
    public async Task PostgreSQL_refuses_a_NUL_in_text_with_a_clear_error_and_writes_nothing_where_the_others_store_it()
    {
        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<Note>().Add(new Note { Text = "a" + Nul + "b" });
        if (Engine == Engine.PostgreSql)
        {
            var error = Assert.ThrowsAsync<DatabaseCommandException>(() => uow.CommitAsync());
            Assert.That(error!.Message, Does.Contain("0x00"));
            Assert.That(await CountRowsAsync("injection_notes"), Is.Zero);
        }
        else
        {
            await uow.CommitAsync();
            Assert.That(await CountRowsAsync("injection_notes"), Is.EqualTo(1));
        }
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
