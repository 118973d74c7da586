using Premix.Providers;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Resilience;

/// <summary>
/// A commit whose server session is killed while one of its statements runs: the caller gets that statement's error, as
/// a lost connection, whatever the rollback after it ran into (attached as <see cref="DatabaseCommandException.RollbackError"/>);
/// the broken connection is discarded, and the same unit of work, then the next, commit on new ones. PostgreSQL and MariaDB
/// only: SQLite runs in-process, with no session to kill (a statement it refuses is <see cref="FirstErrorTests"/>).
/// </summary>
[TestFixtureSource(typeof(ProviderTest), nameof(ServerEngines))]
[NeedsServerSession("It kills the server session a unit of work is on (pg_terminate_backend of its pg_backend_pid); behind the pooler that pid is a server connection the next transaction may not use, or another client already does.")]
public sealed class KilledStatementTests(Engine engine) : ResilienceTest(engine)
{
    private const string Slow = "Slow";

    [SetUp]
    public async Task CreateTablesAsync() => await CreatePremixWithTablesAsync(new CustomerMap());

    [Test]
    public async Task A_commit_whose_session_is_killed_mid_statement_fails_as_that_statement_and_the_unit_of_work_goes_on_with_a_new_connection()
    {
        await ExecuteAsync(SleepingTriggerSql());
        await using var premix = CreateRetryingPremix(new CustomerMap(), o => o.RetryCommits = false);
        await using var uow = premix.BeginUnitOfWork();
        var customer = new Customer { Name = Slow };
        uow.Repository<Customer>().Add(customer);
        var session = await SessionIdAsync(uow);
        var commit = uow.CommitAsync();
        try
        {
            await WaitUntilSleepingAsync(session);
        }
        finally
        {
            await KillSessionAsync(session);
        }

        var error = Assert.ThrowsAsync<DatabaseCommandException>(() => commit);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((error!.Operation, error.Entity, error.ErrorKind), Is.EqualTo(("Insert", "Customer", DatabaseErrorKind.ConnectionLost)), error.ToString());
            // The killed session leaves the rollback nothing to run on, on both servers: Npgsql has disposed the transaction
            // with the broken connection, MySqlConnector refuses a connection whose state is Broken.
            Assert.That(error.RollbackError, Is.TypeOf(Engine == Engine.PostgreSql ? typeof(ObjectDisposedException) : typeof(InvalidOperationException)), "the rollback failed, and rides along");
            Assert.That(Logs.Entries.Count(e => e.Id == PremixEventId.RollbackFailed), Is.EqualTo(1), "a failed rollback is logged beside the error: " + error.RollbackError);
            Assert.That((customer.Id, await CountRowsAsync("customers")), Is.EqualTo((0L, 0L)), "nothing was written, and the object is as before");
        }

        await ExecuteAsync(Engine == Engine.PostgreSql ? "DROP FUNCTION sleep_for_slow CASCADE" : "DROP TRIGGER sleep_for_slow");
        await uow.CommitAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await SessionIdAsync(uow), Is.Not.EqualTo(session), "the unit of work went on with a new connection");
            Assert.That(await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("customers")} WHERE {Q("Name")} = '{Slow}'"), Is.EqualTo(customer.Id), "and committed on it");
        }

        await using var next = premix.BeginUnitOfWork();
        Assert.That((await next.Repository<Customer>().GetAsync(customer.Id)).Name, Is.EqualTo(Slow), "the next unit of work reads it");
    }

    [Test]
    public async Task Disposing_a_unit_of_work_whose_session_was_killed_with_its_transaction_open_logs_the_failed_rollback()
    {
        await using var premix = CreateRetryingPremix(new CustomerMap(), o => o.RetryCommits = false);
        var uow = premix.BeginUnitOfWork();
        string insert = $"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Visits")}) VALUES ('raw', 0)";
        await uow.Raw(insert).ExecuteAsync(); // a raw write opens the transaction
        await KillSessionAsync(await SessionIdAsync(uow));

        await uow.DisposeAsync();

        Assert.That(Logs.Entries.Count(e => e.Id == PremixEventId.RollbackFailed), Is.EqualTo(1), "the rollback's error is logged, not swallowed");
        Assert.That(await CountRowsAsync("customers"), Is.Zero, "the write was never committed");
    }

    // Inserting the customer named Slow sleeps for 30 seconds: long enough to kill its session mid-statement.
    private string SleepingTriggerSql() => Engine == Engine.PostgreSql
        ? $"""
            DROP FUNCTION IF EXISTS sleep_for_slow CASCADE;
            CREATE FUNCTION sleep_for_slow() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.{Q("Name")} = '{Slow}' THEN PERFORM pg_sleep(30); END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER sleep_for_slow BEFORE INSERT ON {Q("customers")} FOR EACH ROW EXECUTE FUNCTION sleep_for_slow();
            """
        : $"""
            CREATE TRIGGER sleep_for_slow BEFORE INSERT ON {Q("customers")} FOR EACH ROW
            BEGIN
                IF NEW.{Q("Name")} = '{Slow}' THEN DO SLEEP(30); END IF;
            END;
            """;

    // The session's statement is in the trigger's sleep: pg_sleep's wait event, MariaDB's "User sleep" state.
    private async Task WaitUntilSleepingAsync(long session)
    {
        var sql = Engine == Engine.PostgreSql
            ? "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = @session AND wait_event = 'PgSleep'"
            : "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = @session AND STATE = 'User sleep'";
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await ScalarAsync<long>(sql, new { session = Engine == Engine.PostgreSql ? (object)(int)session : session }) == 0)
        {
            Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "the insert never started sleeping");
            await Task.Delay(20);
        }
    }
}
