namespace Premix.Tests.Failover;

/// <summary>
/// <see cref="FailoverFixture{TPair}"/>'s tear-down on a pair that needs no server: one disposal that throws is reported, the rest
/// are still disposed, and nothing is left for the next test's tear-down.
/// </summary>
public sealed class FailoverFixtureTearDownTests
{
    [Test]
    public async Task A_kept_resource_whose_disposal_throws_is_reported_and_every_kept_resource_is_disposed_once()
    {
        var fixture = new FixtureOnNoServers();
        await fixture.ResetThePairAsync();
        var first = fixture.Keep(new CountedDisposal(throws: false));
        var failing = fixture.Keep(new CountedDisposal(throws: true));
        var last = fixture.Keep(new CountedDisposal(throws: false));

        var error = Assert.ThrowsAsync<AggregateException>(fixture.DisposeWhatTheTestKeptAsync);
        await fixture.ResetThePairAsync();
        await fixture.DisposeWhatTheTestKeptAsync(); // the next test's tear-down, which kept nothing

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.InnerExceptions.Select(e => e.Message), Is.EqualTo(new[] { CountedDisposal.Failure }));
            Assert.That(new[] { first.Disposals, failing.Disposals, last.Disposals }, Is.All.EqualTo(1));
        }
    }

    private sealed class FixtureOnNoServers : FailoverFixture<PairOfNoServers>
    {
        public new T Keep<T>(T resource)
            where T : IAsyncDisposable => base.Keep(resource);

        private protected override PairOfNoServers PairFromEnvironment() => new();

        protected override Task CreateTablesAsync() => Task.CompletedTask;
    }

    private sealed class PairOfNoServers : IFailoverPair
    {
        public Task<string> ControlAsync(string action) => Task.FromResult(string.Empty);

        public (string Host, int Port) Address(int server) => ("localhost", 0);

        public Task CreateReferenceNotesAsync() => Task.CompletedTask;

        public Task<List<string>> ReferencesAsync(int server) => Task.FromResult(new List<string>());
    }

    private sealed class CountedDisposal(bool throws) : IAsyncDisposable
    {
        public const string Failure = "the disposal failed";

        public int Disposals { get; private set; }

        public ValueTask DisposeAsync()
        {
            Disposals++;
            return throws ? ValueTask.FromException(new InvalidOperationException(Failure)) : ValueTask.CompletedTask;
        }
    }
}
