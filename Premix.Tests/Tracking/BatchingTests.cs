using Microsoft.Extensions.Logging;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>A commit sends its statements in as few round trips as the engine allows, and a batch fails as a whole.</summary>
public sealed class BatchingTests(Engine engine) : PremixTest(engine)
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

        // PostgreSQL batches everything; MySQL only inserts with client keys (generated keys need LAST_INSERT_ID(),
        // and MySqlConnector reports no per-statement row counts for version checks); SQLite has no batches.
        var expected = Engine switch
        {
            Engine.PostgreSql => (AuthorInserts: 5, BookInserts: 5, GadgetInserts: 5, Updates: 5),
            Engine.MySql => (AuthorInserts: 0, BookInserts: 0, GadgetInserts: 5, Updates: 0),
            _ => (AuthorInserts: 0, BookInserts: 0, GadgetInserts: 0, Updates: 0),
        };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Batched("Insert", "Author"), Is.EqualTo(expected.AuthorInserts));
            Assert.That(Batched("Insert", "Book"), Is.EqualTo(expected.BookInserts));
            Assert.That(Batched("Insert", "Gadget"), Is.EqualTo(expected.GadgetInserts));
            Assert.That(Batched("Update", "Author"), Is.EqualTo(expected.Updates));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("books")} b JOIN {Q("authors")} a ON a.{Q("Id")} = b.{Q("AuthorId")} WHERE a.{Q("Name")} LIKE '% (revised)'"), Is.EqualTo(5));
            Assert.That(await CountRowsAsync("gadgets"), Is.EqualTo(5));
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
        await _premix.Raw($"UPDATE {Q("counters")} SET {Q("Version")} = 5 WHERE {Q("Id")} = @id", new { id = counters[1].Id }).ExecuteAsync();
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

    private int Batched(string operation, string entity) =>
        _logs.Entries.Count(e => e.Id == PremixEventId.CommandExecuted && e.Message.Contains($"Executed {operation} (", StringComparison.Ordinal) && e.Message.Contains($"of a batch of 5) {entity} in", StringComparison.Ordinal));
}
