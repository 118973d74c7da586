using System.Diagnostics;

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
    public static async Task<ControlScriptOutput> RunAsync(TimeSpan timeout, string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var call = $"{Path.GetFileName(script)} {string.Join(' ', arguments)}";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // A script that waits for something (premix runs the sample's Program.cs) must fail its test, not the whole run.
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{call} did not exit within {timeout}: {await output}{await errors}");
        }

        Assert.That(process.ExitCode, Is.Zero, $"{call}: {await output}{await errors}");
        return new ControlScriptOutput(await output, await errors);
    }
}

/// <summary>What a control script printed: its standard output and its standard error.</summary>
internal sealed record ControlScriptOutput(string Output, string Errors);
