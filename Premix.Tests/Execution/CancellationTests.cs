using Premix.Tests.Infrastructure;

namespace Premix.Tests.Execution;

/// <summary>
/// A statement cancelled mid-flight by the caller's token: an <see cref="OperationCanceledException"/> carrying that
/// token, the unit of work's transaction rolled back, and the connections that follow work.
/// </summary>
public sealed class CancellationTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync() => _premix = await CreatePremixWithTablesAsync(new CustomerMap());

    [Test]
    public async Task A_cancelled_statement_throws_the_callers_token_rolls_back_and_leaves_usable_connections()
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            await uow.Raw($"INSERT INTO {I("customers")} ({I("Name")}, {I("Visits")}) VALUES ('written before', 0)").ExecuteAsync();
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var started = System.Diagnostics.Stopwatch.StartNew();

            var error = Assert.CatchAsync<OperationCanceledException>(() => uow.Raw(SlowQuery).ScalarAs<long>(cancel.Token));

            using (Assert.EnterMultipleScope())
            {
                Assert.That(error!.CancellationToken, Is.EqualTo(cancel.Token));
                Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "the statement was stopped, not waited out");
            }
        }

        Assert.That(await CountRowsAsync("customers"), Is.Zero, "disposing the unit of work rolled its transaction back");
        for (var i = 0; i < 5; i++)
        {
            await using var next = _premix.BeginUnitOfWork();
            Assert.That(await next.Raw("SELECT 1").ScalarAs<int>(), Is.EqualTo(1), "a connection from the pool works");
        }
    }

    [Test]
    public async Task A_token_cancelled_before_the_commit_writes_nothing_and_keeps_the_changes_pending()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var customer = new Customer { Name = "Ada" };
        uow.Repository<Customer>().Add(customer);
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        var error = Assert.CatchAsync<OperationCanceledException>(() => uow.CommitAsync(cancel.Token));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.CancellationToken, Is.EqualTo(cancel.Token));
            Assert.That(customer.Id, Is.Zero, "no key was written back");
            Assert.That(await CountRowsAsync("customers"), Is.Zero);
        }

        await uow.CommitAsync();
        Assert.That(await CountRowsAsync("customers"), Is.EqualTo(1), "the same unit of work commits once asked again");
    }

    [Test]
    public async Task A_read_by_key_on_a_held_connection_with_a_token_cancelled_before_it_throws_that_token_and_the_next_read_on_the_connection_works()
    {
        await ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Visits")}) VALUES ('Ada', 3)");
        var id = await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("customers")}");
        await using var uow = _premix.BeginUnitOfWork();
        await using var hold = await uow.HoldConnectionAsync();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        var error = Assert.CatchAsync<OperationCanceledException>(() => uow.Repository<Customer>().FindAsync(id, cancel.Token));

        Assert.That(error!.CancellationToken, Is.EqualTo(cancel.Token));
        var ada = await uow.Repository<Customer>().FindAsync(id);
        Assert.That((ada?.Name, ada?.Visits), Is.EqualTo(("Ada", 3)), "the held connection was left free for the next statement");
    }

    // Seconds of work on each engine; SQLite has no sleep, so it counts.
    private string SlowQuery => Engine switch
    {
        Engine.PostgreSql => "SELECT CAST(pg_sleep(30) AS text) IS NULL",
        Engine.MySql => "SELECT SLEEP(30)",
        _ => "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) SELECT COUNT(*) FROM c",
    };
}
