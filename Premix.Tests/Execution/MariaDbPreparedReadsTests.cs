using System.Data.Common;
using Microsoft.Extensions.Logging;
using Premix.Execution;
using Premix.Providers.MySql;
using Premix.Querying;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Execution;

/// <summary>
/// On MariaDB, a read statement run again on a connection a session holds is prepared on the server from its second run
/// (<c>PreparesRepeatedReads</c>: MySqlConnector's binary protocol, no parse on the server); a statement run once is not,
/// since preparing costs a round trip. The server counts it: its session's <c>Com_stmt_prepare</c> and <c>Com_stmt_execute</c>.
/// Premix here uses a pool of one connection that is not reset, so every read runs on the session whose counters are read.
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
        _premix = PremixFactory.Create(
            p => p.UseProvider(new MySqlProvider(ConnectionString + ";Maximum Pool Size=1;Connection Reset=false")).AddModelConfiguration(new CustomerMap()),
            _loggerFactory);
    }

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
        var before = await CountersAsync(uow);

        var names = new List<string?>();
        foreach (var id in new[] { 2L, 3L, 1L })
        {
            names.Add((await customers.GetAsync(id)).Name);
        }

        var after = await CountersAsync(uow);
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
            before = await CountersAsync(uow);
            await customers.GetAsync(1L);
            await customers.Query().Where(c => c.Visits > 1).ToListAsync();
        }

        foreach (var name in new[] { "Ada", "Grace", "Ada" })
        {
            Assert.That((await customers.Query().Where(c => c.Name == name).FirstAsync()).Name, Is.EqualTo(name));
        }

        await using (await uow.HoldConnectionAsync())
        {
            Assert.That(await CountersAsync(uow), Is.EqualTo(before), "nothing prepared, nothing run prepared");
        }
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

        var before = await CountersAsync(uow);
        var found = new List<int>();
        foreach (var visits in new[] { 0, 2, 1 })
        {
            found.Add((await customers.Query().Where(c => c.Visits > visits).ToListAsync()).Count);
        }

        var after = await CountersAsync(uow);
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
        var limit = await ScalarAsync<long>("SELECT @@GLOBAL.max_prepared_stmt_count");
        await ExecuteAsync("SET GLOBAL max_prepared_stmt_count = 0");
        try
        {
            await using var uow = _premix.BeginUnitOfWork();
            var customers = uow.Repository<Customer>().AsNoTracking();
            await using var hold = await uow.HoldConnectionAsync();
            var before = await CountersAsync(uow);

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

            var after = await CountersAsync(uow);
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

    // The session's own counters, read on the held connection with the driver (a text query: it counts in neither).
    private static async Task<(long Prepared, long Executed)> CountersAsync(IUnitOfWork uow)
    {
        Assert.That(((ISqlSession)uow).TryGetOpenConnection(out var connection), Is.True, "the unit of work holds its connection");
        await using var command = connection.CreateCommand();
        command.CommandText = "SHOW SESSION STATUS WHERE Variable_name IN ('Com_stmt_prepare', 'Com_stmt_execute')";
        var counters = new Dictionary<string, long>();
        await using (DbDataReader reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                counters[reader.GetString(0)] = long.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return (counters["Com_stmt_prepare"], counters["Com_stmt_execute"]);
    }
}
