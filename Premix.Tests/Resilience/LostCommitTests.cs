using Premix.Mapping;
using Premix.Providers;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Resilience;

/// <summary>
/// A commit whose answer never arrives: the server committed, the connection broke before the driver heard so (a
/// TCP relay swallows the answer to COMMIT). Premix knows it by the phase, COMMIT, and neither retries nor pretends it
/// failed; with a check of its own, the unit of work completes. SQLite runs in-process, so its COMMIT always answers:
/// a COMMIT it refuses (a deferred foreign key) is an ordinary, known failure.
/// </summary>
public sealed class LostCommitTests(Engine engine) : ResilienceTest(engine)
{
    private const string Reference = "Relayed";

    // COMMIT as a statement, not the READ COMMITTED a BEGIN may name.
    private const string CommitStatement = @"\bCOMMIT\b";

    [SetUp]
    public async Task CreateTablesAsync() => await CreatePremixWithTablesAsync(new CustomerMap());

    [Test]
    public async Task A_commit_whose_answer_is_lost_is_not_retried_and_says_its_outcome_is_unknown()
    {
        if (Engine == Engine.Sqlite)
        {
            await A_refused_sqlite_commit_is_a_known_failure_that_writes_nothing(withCheck: false);
            return;
        }

        await AddThroughRelayAsync(async (uow, customer, relay) =>
        {
            relay.LoseAnswerTo(CommitStatement);

            var error = Assert.ThrowsAsync<CommitOutcomeUnknownException>(() => uow.CommitAsync());

            using (Assert.EnterMultipleScope())
            {
                Assert.That(relay.AnswersLost, Is.EqualTo(1), "the answer to COMMIT was lost");
                Assert.That(Provider.Classify(error!.InnerException!), Is.EqualTo(DatabaseErrorKind.ConnectionLost), error.InnerException!.ToString());
                Assert.That(await CountRowsAsync("customers"), Is.EqualTo(1), "the server did commit, once: nothing was retried");
                Assert.That(Retries("commit"), Is.Zero);
                Assert.That(customer.Id, Is.Zero, "the objects stay as before the commit");
                Assert.That(Logs.Entries.Count(e => e.Id == PremixEventId.CommitOutcomeUnknown), Is.EqualTo(1));
            }
        });
    }

    [Test]
    public async Task A_commit_whose_answer_is_lost_completes_when_its_check_finds_the_changes_saved()
    {
        if (Engine == Engine.Sqlite)
        {
            await A_refused_sqlite_commit_is_a_known_failure_that_writes_nothing(withCheck: true);
            return;
        }

        await AddThroughRelayAsync(async (uow, customer, relay) =>
        {
            var checks = 0;
            uow.VerifyCommitWith(async (check, cancellationToken) =>
            {
                checks++;
                return await check.Repository<Customer>().Query().Where(c => c.Name == Reference).AnyAsync(cancellationToken);
            });
            relay.LoseAnswerTo(CommitStatement);

            await uow.CommitAsync();

            using (Assert.EnterMultipleScope())
            {
                Assert.That((relay.AnswersLost, checks), Is.EqualTo((1, 1)), "the answer was lost and the check ran once");
                Assert.That(await CountRowsAsync("customers"), Is.EqualTo(1), "exactly one row");
                Assert.That(customer.Id, Is.EqualTo(await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("customers")}")), "the commit completed: the key is the row's");
                Assert.That(Retries("commit"), Is.Zero);
            }

            customer.Visits = 2;
            await uow.CommitAsync();
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")}"), Is.EqualTo(2), "the unit of work goes on, tracking the committed row");
        });
    }

    // A unit of work on a Premix that reaches the database through a relay, with one new customer added, for the test to commit.
    private async Task AddThroughRelayAsync(Func<IUnitOfWork, Customer, TcpRelay, Task> test)
    {
        await using var relay = RelayToServer();
        await using var premix = CreateRetryingPremix(new CustomerMap(), provider: ProviderThrough(relay));
        await using var uow = premix.BeginUnitOfWork();
        var customer = new Customer { Name = Reference };
        uow.Repository<Customer>().Add(customer);
        await test(uow, customer, relay);
    }

    // SQLite's COMMIT always answers: a refused one is a known failure, so a check given with VerifyCommitWith never runs.
    private async Task A_refused_sqlite_commit_is_a_known_failure_that_writes_nothing(bool withCheck)
    {
        await ExecuteAsync("""
            DROP TABLE IF EXISTS children;
            DROP TABLE IF EXISTS parents;
            CREATE TABLE parents ("Id" INTEGER PRIMARY KEY);
            CREATE TABLE children ("Id" INTEGER PRIMARY KEY, "ParentId" INTEGER NOT NULL REFERENCES parents ("Id") DEFERRABLE INITIALLY DEFERRED);
            """);
        await using var premix = CreateRetryingPremix(new ChildMap());
        await using var uow = premix.BeginUnitOfWork();
        var orphan = new Child { ParentId = 999 }; // the insert passes; the deferred key is checked by COMMIT
        uow.Repository<Child>().Add(orphan);
        var checks = 0;
        if (withCheck)
        {
            uow.VerifyCommitWith((_, _) => Task.FromResult(++checks > 0));
        }

        var error = Assert.ThrowsAsync<DatabaseCommandException>(() => uow.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That((error!.Operation, error.ErrorKind), Is.EqualTo(("Commit", DatabaseErrorKind.Permanent)), error.Message);
            Assert.That(await CountRowsAsync("children"), Is.Zero);
            Assert.That(orphan.Id, Is.Zero);
            Assert.That(Retries("commit"), Is.Zero);
            Assert.That(checks, Is.Zero, "the outcome was known: nothing to check");
        }
    }

    private sealed class Child
    {
        public long Id { get; set; }

        public long ParentId { get; set; }
    }

    private sealed class ChildMap : ModelConfiguration<Child>
    {
        public override void Configure(EntityBuilder<Child> e) => e.ToTable("children");
    }
}
