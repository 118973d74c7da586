using Microsoft.Extensions.Logging;
using Premix.Mapping;
using Premix.Providers;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Resilience;

/// <summary>
/// A commit refused for now (a deadlock, a serialization failure, a busy database) runs again as a whole, from the
/// tracked objects, and lands once; one that keeps being refused leaves nothing written and the objects as they were.
/// </summary>
public sealed class CommitRetryTests(Engine engine) : ResilienceTest(engine)
{
    [SetUp]
    public async Task CreateTablesAsync() => await CreatePremixWithTablesAsync(new CustomerMap());

    [Test]
    public async Task Two_commits_that_lock_each_other_out_both_commit_and_on_SQLite_which_queues_its_writers_both_wait_their_turn()
    {
        await using var premix = CreateRetryingPremix(new CustomerMap());
        var (ada, bob) = await SeedTwoAsync(premix);
        Task? otherWriter = null;
        if (Engine == Engine.Sqlite)
        {
            // SQLite has one writer at a time: another connection holds the write lock while both commits start.
            otherWriter = await HoldSqliteLockAsync(TimeSpan.FromMilliseconds(500));
        }
        else
        {
            // Updating a customer locks its own row of cross_locks, waits, then locks the other's: two commits updating
            // one customer each wait for each other, and the engine ends one of them as a deadlock.
            await ExecuteAsync(CrossLockingTriggerSql());
        }

        await using var first = premix.BeginUnitOfWork();
        await using var second = premix.BeginUnitOfWork();
        (await first.Repository<Customer>().GetAsync(ada)).Visits = 10;
        (await second.Repository<Customer>().GetAsync(bob)).Visits = 20;
        var started = System.Diagnostics.Stopwatch.StartNew();

        await Task.WhenAll(first.CommitAsync(), second.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")} WHERE {Q("Id")} = @ada", new { ada }), Is.EqualTo(10));
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")} WHERE {Q("Id")} = @bob", new { bob }), Is.EqualTo(20));
            if (otherWriter is null)
            {
                // At least once: on a loaded machine the victim's replay can meet the other commit's locks again.
                Assert.That(Retries("commit"), Is.GreaterThanOrEqualTo(1), "the deadlock's victim ran again");
            }
            else
            {
                Assert.That(started.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(300)), "the commits waited for the other writer");
            }
        }

        if (otherWriter is not null)
        {
            await otherWriter;
        }
    }

    [TestCase(true, TestName = "A commit that keeps being refused is retried, then leaves nothing written")]
    [TestCase(false, TestName = "A commit that keeps being refused is tried once with retries off, and leaves nothing written")]
    public async Task A_commit_that_keeps_being_refused_leaves_nothing_written(bool retries)
    {
        Task? otherWriter = null;
        IDatabaseProvider? provider = null;
        if (Engine == Engine.Sqlite)
        {
            otherWriter = await HoldSqliteLockAsync(TimeSpan.FromSeconds(retries ? 4 : 2)); // longer than every attempt's one-second wait
            provider = SqliteWaitingOneSecond();
        }
        else
        {
            await ExecuteAsync(RefusingTriggerSql(refusals: null));
        }

        await using var premix = CreateRetryingPremix(new CustomerMap(), o => o.Enabled = retries, provider);
        await using var uow = premix.BeginUnitOfWork();
        Customer[] customers = [new() { Name = "Ada" }, new() { Name = "Refused" }, new() { Name = "Cy" }];
        foreach (var customer in customers)
        {
            uow.Repository<Customer>().Add(customer);
        }

        var error = Assert.ThrowsAsync<DatabaseCommandException>(() => uow.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.ErrorKind, Is.EqualTo(DatabaseErrorKind.Transient), error.Message);
            Assert.That(Retries("commit"), Is.EqualTo(retries ? MaxRetries : 0));
            Assert.That(await CountRowsAsync("customers"), Is.Zero, "nothing of any attempt was kept");
            Assert.That(customers.Select(c => c.Id), Is.All.Zero, "no generated key was left on the objects");
        }

        if (otherWriter is not null)
        {
            await otherWriter;
        }
    }

    [Test]
    public async Task A_commit_refused_once_runs_again_from_the_tracked_objects_and_lands_once()
    {
        Task? otherWriter = null;
        IDatabaseProvider? provider = null;
        if (Engine == Engine.Sqlite)
        {
            // The driver waits one second for the lock, which is held until Premix has counted a retry: the first attempt
            // is refused as busy, whatever the machine's speed, and the retry finds the lock free.
            otherWriter = await HoldSqliteLockAsync(async () =>
            {
                while (Retries("commit") == 0)
                {
                    await Task.Delay(10);
                }
            });
            provider = SqliteWaitingOneSecond();
        }
        else
        {
            await ExecuteAsync(RefusingTriggerSql(refusals: 1));
        }

        var hookRuns = 0;
        await using var premix = CreateRetryingPremix(new CountingCustomerMap(() => Interlocked.Increment(ref hookRuns)), provider: provider);
        await using var uow = premix.BeginUnitOfWork();
        Customer[] customers = [new() { Name = "Refused" }, new() { Name = "Bo" }];
        foreach (var customer in customers)
        {
            uow.Repository<Customer>().Add(customer);
        }

        await uow.CommitAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Retries("commit"), Is.EqualTo(1));
            Assert.That(await CountRowsAsync("customers"), Is.EqualTo(2), "each customer inserted once");
            Assert.That(customers.Select(c => c.Id), Is.All.Positive);
            Assert.That(customers.Select(c => c.Id), Is.Unique);
            Assert.That(hookRuns, Is.EqualTo(4), "before-insert hooks ran again with the second attempt");
            var retried = Logs.Entries.Where(e => e.Id == PremixEventId.RetryScheduled).ToList();
            Assert.That(retried.Select(e => (e.Level, e.Message.StartsWith("Retrying the commit (retry 1)", StringComparison.Ordinal))), Is.EqualTo(new[] { (LogLevel.Warning, true) }), string.Join(Environment.NewLine, retried));
        }

        if (otherWriter is not null)
        {
            await otherWriter;
        }
    }

    private static async Task<(long Ada, long Bob)> SeedTwoAsync(IPremix premix)
    {
        await using var uow = premix.BeginUnitOfWork();
        var ada = new Customer { Name = "Ada" };
        var bob = new Customer { Name = "Bob" };
        uow.Repository<Customer>().Add(ada);
        uow.Repository<Customer>().Add(bob);
        await uow.CommitAsync();
        return (ada.Id, bob.Id);
    }

    // A lock table with a row per customer, and a trigger that makes an update lock its customer's row, then the other's.
    private string CrossLockingTriggerSql() => Engine == Engine.PostgreSql
        ? $"""
            DROP TABLE IF EXISTS cross_locks;
            DROP FUNCTION IF EXISTS lock_crosswise CASCADE;
            CREATE TABLE cross_locks (id bigint PRIMARY KEY);
            INSERT INTO cross_locks SELECT {Q("Id")} FROM {Q("customers")};
            CREATE FUNCTION lock_crosswise() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM 1 FROM cross_locks WHERE id = NEW.{Q("Id")} FOR UPDATE;
                PERFORM pg_sleep(0.4);
                PERFORM 1 FROM cross_locks WHERE id <> NEW.{Q("Id")} FOR UPDATE;
                RETURN NEW;
            END $$;
            CREATE TRIGGER lock_crosswise BEFORE UPDATE ON {Q("customers")} FOR EACH ROW EXECUTE FUNCTION lock_crosswise();
            """
        : $"""
            DROP TABLE IF EXISTS cross_locks;
            CREATE TABLE cross_locks (id BIGINT PRIMARY KEY) ENGINE=InnoDB;
            INSERT INTO cross_locks SELECT {Q("Id")} FROM {Q("customers")};
            CREATE TRIGGER lock_crosswise BEFORE UPDATE ON {Q("customers")} FOR EACH ROW
            BEGIN
                DECLARE locked BIGINT;
                SELECT id INTO locked FROM cross_locks WHERE id = NEW.{Q("Id")} FOR UPDATE;
                DO SLEEP(0.4);
                SELECT MAX(id) INTO locked FROM cross_locks WHERE id <> NEW.{Q("Id")} FOR UPDATE;
            END;
            """;

    // A trigger that refuses the insert of "Refused" as a serialization failure / deadlock: always, or for the first
    // <refusals> inserts (counted by a sequence, which a rollback does not undo).
    private string RefusingTriggerSql(int? refusals)
    {
        var limit = refusals ?? int.MaxValue;
        return Engine == Engine.PostgreSql
            ? $"""
                DROP SEQUENCE IF EXISTS refusals;
                DROP FUNCTION IF EXISTS refuse CASCADE;
                CREATE SEQUENCE refusals;
                CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.{Q("Name")} = 'Refused' AND nextval('refusals') <= {limit} THEN
                        RAISE EXCEPTION 'refused for now' USING ERRCODE = '40001';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER refuse BEFORE INSERT ON {Q("customers")} FOR EACH ROW EXECUTE FUNCTION refuse();
                """
            : $"""
                DROP SEQUENCE IF EXISTS refusals;
                CREATE SEQUENCE refusals;
                CREATE TRIGGER refuse BEFORE INSERT ON {Q("customers")} FOR EACH ROW
                BEGIN
                    IF NEW.{Q("Name")} = 'Refused' AND NEXTVAL(refusals) <= {limit} THEN
                        SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'refused for now';
                    END IF;
                END;
                """;
    }

    private sealed class CountingCustomerMap(Action beforeInsert) : ModelConfiguration<Customer>
    {
        public override void Configure(EntityBuilder<Customer> e)
        {
            new CustomerMap().Configure(e);
            e.BeforeInsert(_ => beforeInsert());
        }
    }
}
