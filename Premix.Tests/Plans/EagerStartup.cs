using Premix.Plans;

namespace Premix.Tests.Plans;

/// <summary>Starts Premix with <see cref="LazyDelegates.Eager"/> on, as <see cref="EagerStartupTests"/> and <see cref="PostgreSqlEagerStartupTests"/> do.</summary>
internal static class EagerStartup
{
    /// <summary>
    /// Starts Premix with <paramref name="start"/> making every plan delegate at once, and asserts that the start
    /// succeeded and really compiled them (so the switch reached the plans).
    /// </summary>
    public static async Task AssertStartsAsync(Func<IPremix> start)
    {
        var before = LazyDelegates.CompiledOnThisThread;
        LazyDelegates.Eager = true;
        IPremix premix;
        try
        {
            premix = start();
        }
        finally
        {
            LazyDelegates.Eager = false; // the flag flows with the thread's context: never leave it on for the next test
        }

        await premix.DisposeAsync();
        Assert.That(LazyDelegates.CompiledOnThisThread - before, Is.GreaterThan(0));
    }
}
