using System.Text.RegularExpressions;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>
/// What a commit of many new rows sends over the wire, seen by a relay between Premix and the server (issue 17 item 3):
/// PostgreSQL one INSERT from arrays; MariaDB a few many-row INSERTs (256 + 256 + 256 + 128 + 64 + 32 + 8 rows for 1000),
/// not an INSERT per row. SQLite has no wire: there each row is one step of one prepared statement.
/// </summary>
[TestFixtureSource(typeof(ProviderTest), nameof(ServerEngines))]
public sealed partial class ManyRowInsertWireTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task A_commit_of_1000_new_rows_sends_one_statement_on_PostgreSql_and_seven_on_MariaDb()
    {
        await (await CreatePremixWithTablesAsync(new NoteMap())).DisposeAsync();
        await using var relay = RelayToServer();
        await using var premix = PremixFactory.Create(p => p.UseProvider(ProviderThrough(relay)).AddModelConfiguration(new NoteMap()));
        var notes = Enumerable.Range(1, 1000).Select(n => new Note { Text = $"note {n}" }).ToList();
        await using var uow = premix.BeginUnitOfWork();
        notes.ForEach(uow.Repository<Note>().Add);

        relay.Recording = true;
        await uow.CommitAsync();
        relay.Recording = false;

        var inserts = InsertStatement().Matches(string.Concat(relay.Sent)).Count;
        Assert.That(inserts, Is.EqualTo(Engine == Engine.PostgreSql ? 1 : 7));
        Assert.That(await CountRowsAsync("wire_notes"), Is.EqualTo(1000));
        Assert.That(notes.Select(n => n.Id).Distinct().Count(), Is.EqualTo(1000));
    }

    [GeneratedRegex("INSERT INTO", RegexOptions.IgnoreCase)]
    private static partial Regex InsertStatement();

    private sealed class Note
    {
        public long Id { get; set; }

        public string Text { get; set; } = "";
    }

    private sealed class NoteMap : ModelConfiguration<Note>
    {
        public override void Configure(EntityBuilder<Note> e)
        {
            e.ToTable("wire_notes");
            e.Property(x => x.Text).HasMaxLength(40);
        }
    }
}
