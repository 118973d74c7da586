using NUnit.Framework;

namespace Premix.Testing.NUnit;

/// <summary>
/// Base of an NUnit fixture whose every test runs in a <see cref="PremixTestScope"/> of <see cref="Premix"/>: begun before
/// the test (and before the derived fixture's own <c>[SetUp]</c>), rolled back after it.
/// </summary>
/// <remarks>
/// The scope belongs to the test's async flow, so fixtures may run in parallel, each test in its own scope; to run the
/// tests of one fixture in parallel too, give each its own instance (<c>[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]</c>),
/// since <see cref="Scope"/> is a member of the instance. It is begun in a <c>[SetUp]</c> that is not <c>async</c> on purpose: what an async method sets in its flow does not reach the
/// test, so <c>[SetUp] public async Task ... { scope = await PremixTestScope.BeginAsync(...); }</c> written by hand would
/// leave the test outside the scope. <see cref="Premix"/> must exist before the first test: build it in a field, a static,
/// or a <c>[OneTimeSetUp]</c>.
/// </remarks>
public abstract class PremixScopedTest
{
    private Task<PremixTestScope>? _begun;

    /// <summary>The Premix instance whose units of work and raw statements the tests' scopes capture.</summary>
    protected abstract IPremix Premix { get; }

    /// <summary>The running test's scope: its connection and transaction, for plain SQL checks.</summary>
    /// <exception cref="InvalidOperationException">Read outside a test.</exception>
    protected PremixTestScope Scope => _begun is { IsCompletedSuccessfully: true } begun
        ? begun.Result
        : throw new InvalidOperationException("The test scope exists while a test of the fixture runs, from its [SetUp] on.");

    /// <summary>Begins the test's scope in the test's flow.</summary>
    [SetUp]
    public Task BeginPremixTestScopeAsync()
    {
        // Not async: the flow's value PremixTestScope.BeginAsync sets must reach the test.
        _begun = PremixTestScope.BeginAsync(Premix);
        return _begun;
    }

    /// <summary>Rolls back everything the test did.</summary>
    [TearDown]
    public async Task EndPremixTestScopeAsync()
    {
        var begun = _begun;
        _begun = null;
        if (begun is { IsCompletedSuccessfully: true })
        {
            await begun.Result.DisposeAsync().ConfigureAwait(false);
        }
    }
}
