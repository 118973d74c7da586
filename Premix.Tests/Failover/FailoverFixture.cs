using Premix.Tests.Infrastructure;

namespace Premix.Tests.Failover;

/// <summary>
/// A fixture on a failover pair of the test command's (<see cref="IFailoverPair"/>), whatever its engine: before each test,
/// the pair is reset and its tables made (<see cref="CreateTablesAsync"/>) and a fresh log capture started; after it, what
/// the test kept (<see cref="Keep{T}"/>: its Premix, a relay) is disposed, the last kept first. Each engine's pair is one,
/// so these fixtures take turns.
/// </summary>
[NonParallelizable]
public abstract class FailoverFixture<TPair>
    where TPair : class, IFailoverPair
{
    private readonly List<IAsyncDisposable> _kept = [];

    /// <summary>The pair, reset before each test.</summary>
    private protected TPair Pair { get; private set; } = null!;

    /// <summary>The warnings (retries among them) of the test's Premix; each test's own, since NUnit keeps one fixture instance for all.</summary>
    protected CapturingLoggerProvider Logs { get; private set; } = null!;

    /// <summary>The Premix the test kept last (<see cref="Keep{T}"/>).</summary>
    protected IPremix CurrentPremix => _kept.OfType<IPremix>().LastOrDefault() ?? throw new InvalidOperationException("No Premix was made for this test.");

    [SetUp]
    public async Task ResetThePairAsync()
    {
        Logs = new CapturingLoggerProvider();
        Pair = PairFromEnvironment();
        await Pair.ControlAsync("reset");
        await CreateTablesAsync();
    }

    [TearDown]
    public async Task DisposeWhatTheTestKeptAsync()
    {
        // One disposal that throws (a Premix whose killed primary's connections hang) neither spares the rest nor leaves
        // them to the next test's tear-down, which would dispose them again and fail on this test's error.
        var errors = new List<Exception>();
        try
        {
            for (var i = _kept.Count - 1; i >= 0; i--)
            {
                try
                {
                    await _kept[i].DisposeAsync();
                }
                catch (Exception e)
                {
                    errors.Add(e);
                }
            }
        }
        finally
        {
            _kept.Clear();
            Logs.Dispose();
        }

        if (errors.Count > 0)
        {
            throw new AggregateException("Disposing what the test kept failed.", errors);
        }
    }

    /// <summary>The pair the environment names (a missing variable fails the test).</summary>
    private protected abstract TPair PairFromEnvironment();

    /// <summary>Creates the tables the tests write to, on the primary, after each reset.</summary>
    protected abstract Task CreateTablesAsync();

    /// <summary>Keeps <paramref name="resource"/> to dispose after the test, and returns it.</summary>
    protected T Keep<T>(T resource)
        where T : IAsyncDisposable
    {
        _kept.Add(resource);
        return resource;
    }
}
