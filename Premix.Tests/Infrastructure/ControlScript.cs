namespace Premix.Tests.Infrastructure;

/// <summary>
/// Runs a control script (a server's that <c>build/test-databases.sh start</c> wrote: the Galera nodes', the restartable
/// MariaDB server's; the AOT sample's optimize-premix.sh) and fails the test, with the script's output, when it does not succeed.
/// </summary>
internal static class ControlScript
{
    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/> and returns its standard output.</summary>
    public static async Task<string> RunAsync(string script, params string[] arguments) =>
        (await RunAsync(System.Threading.Timeout.InfiniteTimeSpan, script, arguments)).Output;

    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="arguments"/>, killing it with everything it started and failing the
    /// test when it has not exited within <paramref name="timeout"/>; returns what it printed on both streams.
    /// </summary>
    public static async Task<ChildProcessResult> RunAsync(TimeSpan timeout, string script, params string[] arguments)
    {
        var call = $"{Path.GetFileName(script)} {string.Join(' ', arguments)}";
        var result = await ChildProcess.RunToExitAsync(ChildProcess.StartInfo("bash", [script, .. arguments]), timeout, call);
        Assert.That(result.ExitCode, Is.Zero, $"{call}: {result.Everything}");
        return result;
    }
}
