using Dapper;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Testing;

/// <summary>
/// Eight tests at once against one server database, each in its own scope: each commits, and while all their rows are
/// in the database at once, each sees only its own; once all scopes end, plain SQL sees none. SQLite has one writer per
/// file, so its parallel tests take a database each (<see cref="SqliteTestScopeTests"/>).
/// </summary>
[TestFixtureSource(typeof(ProviderTest), nameof(ServerEngines))]
public sealed class ParallelTestScopeTests(Engine engine) : PremixTest(engine)
{
    private const int Tests = 8;
    private const int CommitsEach = 3;

    [Test]
    public async Task Eight_concurrent_committing_tests_on_one_database_each_see_only_their_own_rows()
    {
        await using var premix = await CreatePremixWithTablesAsync(new CustomerMap());
        var allCommitted = new Rendezvous(Tests);
        var allCounted = new Rendezvous(Tests);

        var seen = await Task.WhenAll(Enumerable.Range(0, Tests).Select(test => Task.Run(async () =>
        {
            await using var scope = await PremixTestScope.BeginAsync(premix);
            for (var i = 0; i < CommitsEach; i++)
            {
                await using var uow = premix.BeginUnitOfWork();
                uow.Repository<Customer>().Add(new Customer { Name = $"test{test}-{i}" });
                await uow.CommitAsync();
            }

            await allCommitted.ArriveAsync(); // every test's rows are in the database now, none committed
            var names = await scope.Connection.QueryAsync<string>($"SELECT {Q("Name")} FROM {Q("customers")}", transaction: scope.Transaction);
            var throughPremix = await premix.Raw($"SELECT COUNT(*) FROM {I("customers")}").ReadOnly().FetchAs<long>();
            await allCounted.ArriveAsync();
            return (Test: test, Names: names.ToList(), ThroughPremix: throughPremix.Single());
        })));

        using (Assert.EnterMultipleScope())
        {
            foreach (var (test, names, throughPremix) in seen)
            {
                Assert.That(names, Is.EquivalentTo(Enumerable.Range(0, CommitsEach).Select(i => $"test{test}-{i}")), $"test {test} sees its own rows and no other test's");
                Assert.That(throughPremix, Is.EqualTo(CommitsEach));
            }
        }

        Assert.That(await CountRowsAsync("customers"), Is.Zero, "every scope rolled back");
    }

    // Waits, without blocking a thread, until every test has arrived.
    private sealed class Rendezvous(int count)
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public Task ArriveAsync()
        {
            if (Interlocked.Increment(ref _arrived) == count)
            {
                _all.SetResult();
            }

            return _all.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
