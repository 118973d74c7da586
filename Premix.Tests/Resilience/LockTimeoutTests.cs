using System.Data.Common;
using System.Diagnostics;
using Premix.Providers;
using Premix.Providers.MySql;
using Premix.Providers.PostgreSql;
using Premix.Providers.Sqlite;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Resilience;

/// <summary>
/// Statements kept waiting by another session's lock, on every engine: SQLite's database lock (another connection
/// writing), PostgreSQL's <c>ACCESS EXCLUSIVE</c> table lock, MariaDB's <c>LOCK TABLES ... WRITE</c>, or a unit of work's
/// own open transaction. A statement waits for the lock up to the engine's lock timeout (short here: SQLite's
/// <c>Default Timeout</c>, PostgreSQL's <c>lock_timeout</c>, MariaDB's <c>lock_wait_timeout</c> and
/// <c>innodb_lock_wait_timeout</c>), then is refused with an error Premix calls transient; a read refused so runs again.
/// A busy database, not a lost one: for lost connections see <see cref="ReadRetryTests"/>.
/// </summary>
[NeedsServerSession("On PostgreSQL its lock timeout is a startup parameter (Options=-c lock_timeout=...), which PgBouncer 1.18 refuses (08P01 unsupported startup parameter: options); behind a pooler a session setting cannot follow the client, so the role's or the server's setting is the one to use.")]
public sealed class LockTimeoutTests(Engine engine) : ResilienceTest(engine)
{
    private long _adaId;
    private IDatabaseProvider? _waitingProvider;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        await CreatePremixWithTablesAsync(new CustomerMap());
        await ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Visits")}) VALUES ('Ada', 3)");
        _adaId = await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("customers")}");
    }

    [TearDown]
    public async Task DisposeProviderAsync()
    {
        if (_waitingProvider is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        _waitingProvider = null;
    }

    [Test]
    public async Task A_read_kept_waiting_by_a_lock_for_less_than_the_lock_timeout_waits_for_it_and_is_not_retried()
    {
        await using var premix = PremixWaitingForLocks(TimeSpan.FromSeconds(10));
        await using var uow = premix.BeginUnitOfWork();
        var releasedAt = 0L;
        var locker = await LockCustomersAsync(async () =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            releasedAt = Stopwatch.GetTimestamp();
        });

        var count = await uow.Repository<Customer>().Query().CountAsync();
        var readAt = Stopwatch.GetTimestamp();
        await locker;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(count, Is.EqualTo(1));
            Assert.That(readAt, Is.GreaterThan(releasedAt), "the read could only end once the lock was let go");
            Assert.That(Retries("read"), Is.Zero, "the engine waited for the lock, so Premix had nothing to retry");
            var ada = await uow.Repository<Customer>().GetAsync(_adaId);
            Assert.That((ada.Name, ada.Visits), Is.EqualTo(("Ada", 3)), "the unit of work goes on");
        }
    }

    [Test]
    public async Task A_read_refused_when_the_lock_timeout_ran_out_runs_again_and_lands_once_the_lock_is_free()
    {
        await using var premix = PremixWaitingForLocks(TimeSpan.FromSeconds(3));
        await using var uow = premix.BeginUnitOfWork();
        // Held until Premix has counted a retry: the first attempt is refused whatever the machine's speed, and the retry,
        // which again waits up to three seconds (room for a loaded machine to let go), gets the lock once it is free.
        var locker = await LockCustomersAsync(async () =>
        {
            var waited = Stopwatch.StartNew();
            while (Retries("read") == 0 && waited.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(10);
            }
        });

        var ada = await uow.Repository<Customer>().GetAsync(_adaId);
        await locker;

        using (Assert.EnterMultipleScope())
        {
            Assert.That((ada.Name, ada.Visits), Is.EqualTo(("Ada", 3)));
            Assert.That(Retries("read"), Is.EqualTo(1));
            Assert.That(Logs.Entries.Count(e => e.Id == PremixEventId.RetryScheduled), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task A_read_by_key_on_a_held_connection_refused_when_the_lock_timeout_ran_out_runs_again_on_it_and_lands_once_the_lock_is_free()
    {
        await using var premix = PremixWaitingForLocks(TimeSpan.FromSeconds(3));
        await using var uow = premix.BeginUnitOfWork();
        await using var hold = await uow.HoldConnectionAsync();
        var before = await ConnectionIdAsync(uow);
        var locker = await LockCustomersAsync(async () =>
        {
            var waited = Stopwatch.StartNew();
            while (Retries("read") == 0 && waited.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(10);
            }
        });

        var ada = await uow.Repository<Customer>().FindAsync(_adaId);
        await locker;

        using (Assert.EnterMultipleScope())
        {
            Assert.That((ada?.Name, ada?.Visits), Is.EqualTo(("Ada", 3)));
            Assert.That(Retries("read"), Is.EqualTo(1));
            Assert.That(await ConnectionIdAsync(uow), Is.EqualTo(before), "a refusal does not break the connection: the unit of work keeps the one it holds");
        }
    }

    [Test]
    public async Task A_writer_kept_out_by_a_unit_of_works_open_transaction_is_refused_with_an_error_Premix_calls_transient()
    {
        await using var premix = PremixWaitingForLocks(TimeSpan.FromSeconds(1));
        await using var uow = premix.BeginUnitOfWork();
        var update = $"UPDATE {Q("customers")} SET {Q("Visits")} = 4"; // a plain string: Raw($"...") would send each hole as a value
        await uow.Raw(update).ExecuteAsync(); // the transaction begins and locks the row (SQLite: the database)
        await using var other = _waitingProvider!.CreateConnection();
        await other.OpenAsync();

        var refused = Assert.CatchAsync<DbException>(() => ExecuteAsync(other, $"UPDATE {Q("customers")} SET {Q("Visits")} = 5"));

        Assert.That(Provider.Classify(refused!), Is.EqualTo(DatabaseErrorKind.Transient), refused!.Message);
        await uow.CommitAsync();
        Assert.That(await ScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")}"), Is.EqualTo(4), "the unit of work's write landed; the other writer's did not");
    }

    // Premix with retries on the fixture's database, where a statement waits at most `wait` for another session's lock.
    // MariaDB's lock timeouts are session settings no connection string can carry, so they are set on every connection.
    private IPremix PremixWaitingForLocks(TimeSpan wait)
    {
        var seconds = (int)wait.TotalSeconds;
        _waitingProvider = Engine switch
        {
            Engine.Sqlite => new SqliteProvider($"{ConnectionString};Default Timeout={seconds}"),
            Engine.PostgreSql => new PostgreSqlProvider($"{ConnectionString};Options=-c lock_timeout={seconds}s"),
            _ => new SessionSetupProvider(new MySqlProvider(ConnectionString), $"SET SESSION lock_wait_timeout = {seconds}, innodb_lock_wait_timeout = {seconds}"),
        };
        return CreateRetryingPremix(new CustomerMap(), provider: _waitingProvider);
    }

    // The server's id of the unit of work's session; 0 on SQLite, which runs in process and has no session to tell apart.
    // SQLite has no session id to compare: 0 on both sides there.
    private Task<long> ConnectionIdAsync(IUnitOfWork uow) => Engine == Engine.Sqlite ? Task.FromResult(0L) : SessionIdAsync(uow);

    // Another session locks the customers table (on SQLite, the whole database) until `release` completes. The returned
    // task ends once it has let go.
    private async Task<Task> LockCustomersAsync(Func<Task> release)
    {
        var connection = await OpenConnectionAsync();
        await ExecuteAsync(connection, Engine switch
        {
            Engine.Sqlite => "BEGIN EXCLUSIVE",
            Engine.PostgreSql => $"BEGIN; LOCK TABLE {Q("customers")} IN ACCESS EXCLUSIVE MODE",
            _ => $"LOCK TABLES {Q("customers")} WRITE",
        });
        return ReleaseLaterAsync();

        async Task ReleaseLaterAsync()
        {
            await using (connection)
            {
                await release();
                await ExecuteAsync(connection, Engine == Engine.MySql ? "UNLOCK TABLES" : "COMMIT");
            }
        }
    }
}
