using System.Text.RegularExpressions;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>
/// What a commit of many new or changed rows sends over the wire, seen by a relay between Premix and the server (issue 17
/// item 3): PostgreSQL one INSERT (or UPDATE) from arrays; MariaDB a few many-row INSERTs (512 + 256 + 128 + 104 rows for
/// 1000) or one many-row UPDATE (for 100 rows), in one round trip, not a statement per row. SQLite has no wire: there each
/// row is one step of one prepared statement.
/// </summary>
[TestFixtureSource(typeof(ProviderTest), nameof(ServerEngines))]
public sealed partial class ManyRowInsertWireTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task A_commit_of_1000_new_rows_sends_one_statement_on_PostgreSql_and_four_on_MariaDb_in_one_round_trip()
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

        using (Assert.EnterMultipleScope())
        {
            Assert.That(InsertStatement().Matches(string.Concat(relay.Sent)).Count, Is.EqualTo(Engine == Engine.PostgreSql ? 1 : 4), "MariaDB: 512 + 256 + 128 + 104 rows");
            Assert.That(relay.Turns.Count(t => InsertStatement().IsMatch(t)), Is.EqualTo(1), "one round trip");
            Assert.That(await CountRowsAsync("wire_notes"), Is.EqualTo(1000));
            Assert.That(await KeysByTextAsync(), Is.EqualTo(notes.ToDictionary(n => n.Text, n => n.Id)), "each object has the key of its own row");
        }
    }

    [Test]
    public async Task A_commit_changing_100_loaded_rows_sends_one_update_in_one_round_trip()
    {
        await using (var setup = await CreatePremixWithTablesAsync(new NoteMap()))
        {
            await ExecuteAsync($"INSERT INTO {Q("wire_notes")} ({Q("Text")}) VALUES {string.Join(", ", Enumerable.Range(1, 100).Select(n => $"('note {n}')"))}");
        }

        await using var relay = RelayToServer();
        await using var premix = PremixFactory.Create(p => p.UseProvider(ProviderThrough(relay)).AddModelConfiguration(new NoteMap()));
        await using var uow = premix.BeginUnitOfWork();
        var notes = await uow.Repository<Note>().ListAsync();
        foreach (var note in notes)
        {
            note.Text += " (changed)";
        }

        relay.Recording = true;
        await uow.CommitAsync();
        relay.Recording = false;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(UpdateStatement().Matches(string.Concat(relay.Sent)).Count, Is.EqualTo(1), "MariaDB too: a run of up to 128 rows is one statement of its exact size");
            Assert.That(relay.Turns.Count(t => UpdateStatement().IsMatch(t)), Is.EqualTo(1), "one round trip");
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("wire_notes")} WHERE {Q("Text")} LIKE '% (changed)'"), Is.EqualTo(100));
        }
    }

    private async Task<Dictionary<string, long>> KeysByTextAsync()
    {
        await using var connection = await OpenConnectionAsync();
        return (await Dapper.SqlMapper.QueryAsync<(long Id, string Text)>(connection, $"SELECT {Q("Id")}, {Q("Text")} FROM {Q("wire_notes")}")).ToDictionary(r => r.Text, r => r.Id);
    }

    [GeneratedRegex(@"\bUPDATE\b", RegexOptions.IgnoreCase)]
    private static partial Regex UpdateStatement();

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
