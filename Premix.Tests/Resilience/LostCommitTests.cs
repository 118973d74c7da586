using Premix.Providers;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Resilience;

/// <summary>
/// A commit whose answer never arrives: the server committed, the connection broke before the driver heard so (a
/// TCP relay swallows the answer to COMMIT). Premix knows it by the phase, COMMIT, and neither retries nor pretends it
/// failed; with a check of its own, the unit of work completes. PostgreSQL and MariaDB only: SQLite runs in-process, so
/// its COMMIT always answers (what it can do, refuse a COMMIT, is <see cref="RefusedCommitTests"/>).
/// </summary>
[TestFixtureSource(typeof(ProviderTest), nameof(ServerEngines))]
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

    [Test]
    public async Task A_one_row_update_sent_alone_whose_answer_is_lost_is_run_again_and_the_row_ends_as_written()
    {
        await ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Visits")}) VALUES ('{Reference}', 1)");
        var id = await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("customers")}");
        await using var relay = RelayToServer();
        await using var premix = CreateRetryingPremix(new CustomerMap(), provider: ProviderThrough(relay));
        await using var uow = premix.BeginUnitOfWork();
        var customer = await uow.Repository<Customer>().GetAsync(id);
        customer.Visits = 2;
        relay.LoseAnswerTo(@"(?<![A-Za-z])UPDATE\b"); // the UPDATE goes without BEGIN and COMMIT: its answer is the commit's

        await uow.CommitAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((relay.AnswersLost, Retries("commit")), Is.EqualTo((1, 1L)), "the answer was lost, and the update sent again: running it twice changes nothing");
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")}"), Is.EqualTo(2));
        }

        customer.Visits = 3;
        await uow.CommitAsync();
        Assert.That(await ScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")}"), Is.EqualTo(3), "the unit of work goes on");
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

}
