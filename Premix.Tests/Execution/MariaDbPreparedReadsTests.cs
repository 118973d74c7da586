using System.Linq.Expressions;
using Microsoft.Extensions.Logging;
using Premix.Providers.MySql;
using Premix.Querying;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Execution;

/// <summary>
/// On MariaDB, a read statement run again on a connection a session holds is prepared on the server from its second run
/// (<c>PreparesRepeatedReads</c>: MySqlConnector's binary protocol, no parse on the server); a statement run once is not,
/// since preparing costs a round trip. The server counts it: its session's <c>Com_stmt_prepare</c> and <c>Com_stmt_execute</c>.
/// Premix here uses a pool of one connection, so every read runs on the session whose counters are read.
/// </summary>
[TestFixtureSource(nameof(MariaDbOnly))]
[NonParallelizable] // one test sets the server's max_prepared_stmt_count to 0, which the other fixtures' held reads would see
public sealed class MariaDbPreparedReadsTests(Engine engine) : PremixTest(engine)
{
    private CapturingLoggerProvider _log = null!;
    private ILoggerFactory _loggerFactory = null!;
    private IPremix _premix = null!;

    /// <summary>SQLite keeps its commands parsed instead (<see cref="SqliteHeldCommandsTests"/>); Npgsql prepares only when told to (Max Auto Prepare).</summary>
    public static IEnumerable<Engine> MariaDbOnly { get; } = [Engine.MySql];

    [SetUp]
    public async Task CreateTablesAsync()
    {
        await (await CreatePremixWithTablesAsync(new CustomerMap())).DisposeAsync();
        await ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Id")}, {Q("Name")}, {Q("Visits")}) VALUES (1, 'Ada', 1), (2, 'Grace', 2), (3, 'Edsger', 3)");
        _log = new CapturingLoggerProvider();
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_log).SetMinimumLevel(LogLevel.Warning));
        _premix = Premix(";Maximum Pool Size=1");
    }

    private IPremix Premix(string settings) =>
        PremixFactory.Create(p => p.UseProvider(new MySqlProvider(ConnectionString + settings)).AddModelConfiguration(new CustomerMap()), _loggerFactory);

    [TearDown]
    public async Task DisposePremixAsync()
    {
        await _premix.DisposeAsync();
        _loggerFactory.Dispose();
        _log.Dispose();
    }

    [Test]
    public async Task Three_reads_by_key_on_a_held_connection_prepare_their_statement_once_and_run_it_prepared_twice()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var customers = uow.Repository<Customer>().AsNoTracking();
        await using var hold = await uow.HoldConnectionAsync();
        var before = await MariaDbStatementCounters.ReadAsync(uow);

        var names = new List<string?>();
        foreach (var id in new[] { 2L, 3L, 1L })
        {
            names.Add((await customers.GetAsync(id)).Name);
        }

        var after = await MariaDbStatementCounters.ReadAsync(uow);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(names, Is.EqualTo(new[] { "Grace", "Edsger", "Ada" }), "each prepared run binds its own key");
            Assert.That(after.Prepared - before.Prepared, Is.EqualTo(1), "prepared at its second run, once");
            Assert.That(after.Executed - before.Executed, Is.EqualTo(2), "the second and third runs prepared, the first as text");
        }
    }

    [Test]
    public async Task Statements_run_once_on_a_held_connection_and_reads_repeated_without_a_hold_are_not_prepared()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var customers = uow.Repository<Customer>().AsNoTracking();
        (long Prepared, long Executed) before;
        await using (await uow.HoldConnectionAsync())
        {
            before = await MariaDbStatementCounters.ReadAsync(uow);
            await customers.GetAsync(1L);
            await customers.Query().Where(c => c.Visits > 1).ToListAsync();
        }

        foreach (var name in new[] { "Ada", "Grace", "Ada" })
        {
            Assert.That((await customers.Query().Where(c => c.Name == name).FirstAsync()).Name, Is.EqualTo(name));
        }

        await using (await uow.HoldConnectionAsync())
        {
            Assert.That(await MariaDbStatementCounters.ReadAsync(uow), Is.EqualTo(before), "nothing prepared, nothing run prepared");
        }
    }

    [Test]
    public async Task Seventy_statements_each_read_twice_on_one_held_connection_prepare_the_first_64_only()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var customers = uow.Repository<Customer>().AsNoTracking();
        await using var hold = await uow.HoldConnectionAsync();
        var before = await MariaDbStatementCounters.ReadAsync(uow);
        var counts = new List<int>();
        for (var conditions = 1; conditions <= 70; conditions++)
        {
            var filter = AtLeastOneVisit(conditions); // a text of its own for each number of conditions
            counts.Add((await customers.Query().Where(filter).ToListAsync()).Count);
            counts.Add((await customers.Query().Where(filter).ToListAsync()).Count);
        }

        var after = await MariaDbStatementCounters.ReadAsync(uow);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(counts, Is.All.EqualTo(3));
            Assert.That(after.Prepared - before.Prepared, Is.EqualTo(64), "the session holds at most 64 of Premix's statements");
            Assert.That(after.Executed - before.Executed, Is.EqualTo(64));
        }
    }

    [Test]
    public async Task Without_connection_reset_reads_repeated_on_a_held_connection_are_not_prepared()
    {
        // A session never reset would keep its prepared statements for as long as it lives.
        await using var premix = Premix(";Maximum Pool Size=1;Connection Reset=false");
        await using var uow = premix.BeginUnitOfWork();
        var customers = uow.Repository<Customer>().AsNoTracking();
        await using var hold = await uow.HoldConnectionAsync();
        var before = await MariaDbStatementCounters.ReadAsync(uow);
        foreach (var id in new[] { 2L, 3L, 1L })
        {
            await customers.GetAsync(id);
        }

        Assert.That(await MariaDbStatementCounters.ReadAsync(uow), Is.EqualTo(before));
    }

    [Test]
    public async Task A_statement_whose_preparing_fails_for_its_own_error_fails_as_usual_and_later_reads_are_still_prepared()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var customers = uow.Repository<Customer>().AsNoTracking();
        await using var hold = await uow.HoldConnectionAsync();
        await customers.Query().Where(c => c.Visits > 1).ToListAsync(); // kept, not yet prepared
        await ExecuteAsync($"RENAME TABLE {Q("customers")} TO {Q("customers_away")}");
        try
        {
            var error = Assert.ThrowsAsync<DatabaseCommandException>(async () => await customers.Query().Where(c => c.Visits > 1).ToListAsync());
            Assert.That(error!.Message, Does.Contain("customers").And.Contain("doesn't exist"), "the statement's own error, from its unprepared run");
        }
        finally
        {
            await ExecuteAsync($"RENAME TABLE {Q("customers_away")} TO {Q("customers")}");
        }

        var before = await MariaDbStatementCounters.ReadAsync(uow);
        var found = new List<int>();
        foreach (var visits in new[] { 0, 2, 1 })
        {
            found.Add((await customers.Query().Where(c => c.Visits > visits).ToListAsync()).Count);
        }

        var after = await MariaDbStatementCounters.ReadAsync(uow);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(found, Is.EqualTo(new[] { 3, 1, 2 }));
            Assert.That(after.Prepared - before.Prepared, Is.EqualTo(1), "still prepared: the failure was the statement's, not the server refusing to prepare");
            Assert.That(_log.Entries.Where(e => e.Id == PremixEventId.PrepareRefused), Is.Empty);
        }
    }

    [Test]
    public async Task A_server_that_refuses_to_prepare_is_logged_once_and_reads_go_on_unprepared_with_their_own_values_for_good()
    {
        // 0: a run stopped inside this test left it so; the server's default then.
        var limit = await ScalarAsync<long>("SELECT @@GLOBAL.max_prepared_stmt_count") is > 0 and var found ? found.ToString(System.Globalization.CultureInfo.InvariantCulture) : "DEFAULT";
        await ExecuteAsync("SET GLOBAL max_prepared_stmt_count = 0");
        try
        {
            await using var uow = _premix.BeginUnitOfWork();
            var customers = uow.Repository<Customer>().AsNoTracking();
            await using var hold = await uow.HoldConnectionAsync();
            var before = await MariaDbStatementCounters.ReadAsync(uow);

            var names = new List<string?>();
            foreach (var id in new[] { 2L, 3L, 1L, 2L })
            {
                names.Add((await customers.GetAsync(id)).Name);
            }

            // The server would prepare again: this Premix instance no longer asks.
            await ExecuteAsync($"SET GLOBAL max_prepared_stmt_count = {limit}");
            var counts = new List<int>();
            foreach (var visits in new[] { 0, 2, 1 })
            {
                counts.Add((await customers.Query().Where(c => c.Visits > visits).ToListAsync()).Count);
            }

            var after = await MariaDbStatementCounters.ReadAsync(uow);
            var refused = _log.Entries.Where(e => e.Id == PremixEventId.PrepareRefused).ToList();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(names, Is.EqualTo(new[] { "Grace", "Edsger", "Ada", "Grace" }));
                Assert.That(counts, Is.EqualTo(new[] { 3, 1, 2 }));
                Assert.That(after.Executed - before.Executed, Is.Zero, "every read ran as text");
                Assert.That(after.Prepared - before.Prepared, Is.Zero, "none prepared, not even once the server allowed it again");
                Assert.That(refused, Has.Count.EqualTo(1), "logged once");
                Assert.That(refused.Single().Level, Is.EqualTo(LogLevel.Warning));
                Assert.That(refused.Single().Message, Does.Contain("max_prepared_stmt_count").And.Contain("unprepared"), "the server's reason");
            }
        }
        finally
        {
            await ExecuteAsync($"SET GLOBAL max_prepared_stmt_count = {limit}");
        }
    }

    // c => c.Visits >= 1 && c.Visits >= 1 && ... (`conditions` times)
    private static Expression<Func<Customer, bool>> AtLeastOneVisit(int conditions)
    {
        var c = Expression.Parameter(typeof(Customer), "c");
        var one = Expression.GreaterThanOrEqual(Expression.Property(c, nameof(Customer.Visits)), Expression.Constant(1));
        var body = Enumerable.Repeat(one, conditions - 1).Aggregate((Expression)one, Expression.AndAlso);
        return Expression.Lambda<Func<Customer, bool>>(body, c);
    }
}
