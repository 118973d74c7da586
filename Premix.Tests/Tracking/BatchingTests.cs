using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>A commit sends its statements in as few round trips as the engine allows, and a batch fails as a whole.</summary>
public sealed partial class BatchingTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;
    private CapturingLoggerProvider _logs = null!;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _logs = new CapturingLoggerProvider();
        var factory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        _premix = await CreatePremixWithTablesAsync(factory, new AuthorMap(), new BookMap(), new CounterMap(), new GadgetMap());
    }

    [TearDown]
    public void DisposeLogs() => _logs.Dispose();

    [Test]
    public async Task Inserts_of_one_type_and_runs_of_updates_share_a_round_trip_where_the_engine_reports_enough()
    {
        await using var uow = _premix.BeginUnitOfWork();
        for (var i = 0; i < 5; i++)
        {
            uow.Repository<Author>().Add(new Author { Name = $"author {i}", Books = [new Book { Title = $"book {i}" }] });
            uow.Repository<Gadget>().Add(new Gadget { Id = Guid.NewGuid(), Label = $"gadget {i}" });
        }

        await uow.CommitAsync();
        foreach (var author in await uow.Repository<Author>().ListAsync())
        {
            author.Name += " (revised)";
        }

        await uow.CommitAsync();

        // PostgreSQL writes each run of one statement as one many-row statement (unnest); MariaDB each run of inserts as one
        // INSERT … VALUES (…), (…) RETURNING, and a run of updates as one UPDATE … SET c = CASE id WHEN …, after a SAVEPOINT in
        // the same batch (to go back to if a row matched nothing); SQLite has no batches, so it sends every row on its own.
        var expected = Engine switch
        {
            Engine.PostgreSql => new[] { "InsertMany Author", "InsertMany Book", "InsertMany Gadget", "UpdateMany Author" },
            Engine.MySql => ["InsertMany Author", "InsertMany Book", "InsertMany Gadget", "UpdateMany (n of a batch of 2) Author"],
            _ => [.. Times(5, "Insert Author"), .. Times(5, "Insert Book"), .. Times(5, "Insert Gadget"), .. Times(5, "Update Author")],
        };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Writes(), Is.EquivalentTo(expected));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("books")} b JOIN {Q("authors")} a ON a.{Q("Id")} = b.{Q("AuthorId")} WHERE a.{Q("Name")} LIKE '% (revised)'"), Is.EqualTo(5));
            Assert.That(await CountRowsAsync("gadgets"), Is.EqualTo(5));
        }
    }

    [Test]
    public async Task A_thousand_inserts_in_one_commit_each_get_the_key_of_their_own_row()
    {
        var authors = Enumerable.Range(0, 1000).Select(i => new Author { Name = $"author {i}" }).ToList();
        await using (var uow = _premix.BeginUnitOfWork())
        {
            foreach (var author in authors)
            {
                uow.Repository<Author>().Add(author);
            }

            await uow.CommitAsync();
        }

        var rows = await _premix.Raw($"SELECT {I("Id")} AS Id, {I("Name")} AS Name FROM {I("authors")}").FetchAs<AuthorRow>();
        var names = rows.ToDictionary(r => r.Id, r => r.Name);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(names, Has.Count.EqualTo(1000));
            Assert.That(authors.Select(a => names.GetValueOrDefault(a.Id)), Is.EqualTo(authors.Select(a => a.Name)), "each object's key names the row holding its values");
        }
    }

    [Test]
    public async Task A_stale_row_in_the_middle_of_a_run_of_updates_is_named_and_nothing_is_written()
    {
        await using (var seed = _premix.BeginUnitOfWork())
        {
            for (var i = 0; i < 3; i++)
            {
                seed.Repository<Counter>().Add(new Counter { Name = $"c{i}", Version = 1 });
            }

            await seed.CommitAsync();
        }

        await using var uow = _premix.BeginUnitOfWork();
        var counters = (await uow.Repository<Counter>().ListAsync()).OrderBy(c => c.Id).ToList();
        await _premix.Raw($"UPDATE {I("counters")} SET {I("Version")} = 5 WHERE {I("Id")} = {counters[1].Id}").ExecuteAsync();
        foreach (var counter in counters)
        {
            counter.Value = 99;
        }

        var error = Assert.ThrowsAsync<ConcurrencyException>(() => uow.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Does.Contain($"Counter with key {counters[1].Id} matched no row"));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("counters")} WHERE {Q("Value")} = 99"), Is.Zero);
            Assert.That(counters.Select(c => c.Version), Is.All.EqualTo(1), "no version was bumped");
        }
    }

    [Test]
    public async Task A_run_of_updates_writing_the_values_rows_already_hold_matches_every_row_and_bumps_each_version()
    {
        await ExecuteAsync($"INSERT INTO {Q("counters")} ({Q("Name")}, {Q("Value")}, {Q("Version")}) VALUES ('a', 1, 1), ('b', 2, 1), ('c', 3, 1)");
        var ids = (await ScalarsAsync<long>($"SELECT {Q("Id")} FROM {Q("counters")} ORDER BY {Q("Id")}")).ToList();
        await using var uow = _premix.BeginUnitOfWork();
        var counters = ids.Select((id, i) => new Counter { Id = id, Name = ((char)('a' + i)).ToString(), Value = i + 1, Version = 1 }).ToList();
        counters.ForEach(uow.Repository<Counter>().Update);

        await uow.CommitAsync();

        Assert.That(await ScalarsAsync<int>($"SELECT {Q("Version")} FROM {Q("counters")} ORDER BY {Q("Id")}"), Is.EqualTo(new[] { 2, 2, 2 }), "matched, though no value changed");
        Assert.That(counters.Select(c => c.Version), Is.All.EqualTo(2));
    }

    [Test]
    public async Task A_run_of_deletes_with_a_row_already_gone_is_named_and_nothing_is_deleted()
    {
        await ExecuteAsync($"INSERT INTO {Q("counters")} ({Q("Name")}, {Q("Value")}, {Q("Version")}) VALUES ('kept', 1, 1), ('gone', 2, 1), ('also kept', 3, 1)");
        await using var uow = _premix.BeginUnitOfWork();
        var counters = (await uow.Repository<Counter>().ListAsync()).ToList();
        var gone = counters.Single(c => c.Name == "gone").Id;
        await ExecuteAsync($"DELETE FROM {Q("counters")} WHERE {Q("Name")} = 'gone'");
        counters.ForEach(uow.Repository<Counter>().Remove);

        var error = Assert.ThrowsAsync<ConcurrencyException>(() => uow.CommitAsync());

        Assert.That(error!.Message, Does.Contain($"Counter with key {gone} matched no row"));
        Assert.That(await CountRowsAsync("counters"), Is.EqualTo(2), "the deletes before and after it are rolled back");
    }

    private async Task<IEnumerable<T>> ScalarsAsync<T>(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        return await Dapper.SqlMapper.QueryAsync<T>(connection, sql);
    }

    private static IEnumerable<string> Times(int count, string write) => Enumerable.Repeat(write, count);

    // The writes sent, as "Operation Entity" with a batch position shown as "(n of a batch of N)".
    private List<string> Writes() => _logs.Entries
        .Where(e => e.Id == PremixEventId.CommandExecuted)
        .Select(e => WriteLog().Match(e.Message))
        .Where(m => m.Success)
        .Select(m => WritePosition().Replace(m.Groups[1].Value, "(n of"))
        .ToList();

    [GeneratedRegex(@"^Executed ((?:Insert|Update)\S*(?: \(\d+ of a batch of \d+\))? \w+) in")]
    private static partial Regex WriteLog();

    [GeneratedRegex(@"\(\d+ of")]
    private static partial Regex WritePosition();

    private sealed record AuthorRow(long Id, string Name);
}
