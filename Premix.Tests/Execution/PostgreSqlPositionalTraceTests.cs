using System.Collections.Concurrent;
using System.Diagnostics;
using Premix.Querying;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Execution;

/// <summary>
/// What Npgsql is handed, as its own trace reports it (the <c>Npgsql</c> activity's <c>db.query.text</c>, the command's
/// text before Npgsql parses it): the statements Premix writes arrive with positional placeholders, so Npgsql sends them
/// without parsing and rewriting them at every run; raw SQL and a text Premix cannot rewrite with certainty arrive named.
/// The values they bind are checked on every engine in <see cref="PositionalPlaceholderTests"/>.
/// </summary>
[TestFixtureSource(nameof(PostgreSqlOnly))]
public sealed class PostgreSqlPositionalTraceTests(Engine engine) : PremixTest(engine)
{
    private readonly ConcurrentQueue<string> _texts = new();
    private ActivityListener _listener = null!;
    private IPremix _premix = null!;

    /// <summary>Only Npgsql parses named placeholders in the client; MySqlConnector and SQLite take them as they are.</summary>
    public static IEnumerable<Engine> PostgreSqlOnly { get; } = [Engine.PostgreSql];

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new ParcelMap(), new LedgerMap());
        _texts.Clear();
        // Tests of other fixtures run meanwhile, some on tables of the same names: only this fixture's database's statements
        // on its tables are kept (a pooled test run also loads the fixture's database with statements of its own).
        var database = DatabaseName;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("db.namespace") as string == database && activity.GetTagItem("db.query.text") is string text && text.Contains("positional_", StringComparison.Ordinal))
                {
                    _texts.Enqueue(text);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [TearDown]
    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _premix.DisposeAsync();
    }

    [Test]
    public async Task Reads_and_writes_Premix_writes_reach_Npgsql_with_positional_placeholders_and_run_again_with_the_same_text()
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Parcel>().Add(new Parcel { Id = 1, Label = "a", Weight = 10 });
            await uow.CommitAsync();
        }

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var parcel = await uow.Repository<Parcel>().GetAsync(1L);
            parcel.Weight = 11;
            await uow.CommitAsync();
        }

        await using var reader = _premix.BeginUnitOfWork();
        await using var hold = await reader.HoldConnectionAsync();
        var label = "a";
        for (var i = 0; i < 2; i++)
        {
            await reader.Repository<Parcel>().AsNoTracking().Query().Where(p => p.Label == label).Take(5).ToListAsync();
        }

        var texts = _texts.ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(texts, Has.Length.EqualTo(5), string.Join(Environment.NewLine, texts));
            Assert.That(texts, Has.All.Contains("$1"), "insert, get by key, update, the query twice");
            Assert.That(texts.Select(t => t.Replace("\"note@at\"", "", StringComparison.Ordinal)), Has.None.Contains("@"));
            Assert.That(texts[4], Is.EqualTo(texts[3]), "the query's two runs");
        }
    }

    [Test]
    public async Task The_statements_of_a_commit_sent_as_one_batch_reach_Npgsql_with_positional_placeholders()
    {
        await ExecuteAsync($"INSERT INTO {Q("positional_parcels")} ({Q("Id")}, {Q("Label")}, {Q("Weight")}, {Q("Version")}) VALUES (1, 'a', 10, 0), (2, 'b', 20, 0)");
        await using var uow = _premix.BeginUnitOfWork();
        var parcels = await uow.Repository<Parcel>().Query().OrderBy(p => p.Id).ToListAsync();
        parcels[0].Weight = 11;
        parcels[1].Label = "b2"; // another statement than the first's: the two go as one batch
        _texts.Clear();

        await uow.CommitAsync();

        var texts = _texts.ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(texts, Has.Length.EqualTo(1), string.Join(Environment.NewLine, texts));
            Assert.That(texts[0], Does.Contain("\"Weight\" = $1").And.Contain("\"Label\" = $1").And.Not.Contain("@"), "one batch of both updates, positional");
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Label")} || {Q("Weight")} FROM {Q("positional_parcels")} WHERE {Q("Id")} = 2"), Is.EqualTo("b220"));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Label")} || {Q("Weight")} FROM {Q("positional_parcels")} WHERE {Q("Id")} = 1"), Is.EqualTo("a11"));
        }
    }

    [Test]
    public async Task Raw_SQL_and_a_text_with_a_dollar_sign_reach_Npgsql_named_and_read_their_rows()
    {
        await ExecuteAsync($"INSERT INTO {Q("positional_ledgers")} ({Q("Id")}, {Q("cost$")}, {Q("Memo")}) VALUES (1, 5, 'x'), (2, 9, 'y')");
        _texts.Clear(); // the arrangement's own statement
        await using var uow = _premix.BeginUnitOfWork();
        var minimum = 6m;

        var raw = await uow.Raw($"SELECT {I("Id")} FROM {I("positional_ledgers")} WHERE {I("cost$")} > {minimum}").FetchAs<long>();
        var queried = await uow.Repository<Ledger>().Query().Where(l => l.Cost > minimum).ToListAsync();

        var texts = _texts.ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(raw, Is.EqualTo(new[] { 2L }), "raw SQL");
            Assert.That(queried.Select(l => l.Id), Is.EqualTo(new[] { 2L }), "the query of the cost$ column");
            Assert.That(texts, Has.Length.EqualTo(2), string.Join(Environment.NewLine, texts));
            Assert.That(texts, Has.All.Contains("@").And.None.Contains("$1"));
        }
    }
}
