using System.Diagnostics;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// Runs a control script (a server's that <c>build/test-databases.sh start</c> wrote: the Galera nodes', the restartable
/// MariaDB server's; the AOT sample's optimize-premix.sh) and fails the test, with the script's output, when it does not succeed.
/// </summary>
internal static class ControlScript
{
    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/> and returns its standard output.</summary>
    public static async Task<string> RunAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"{Path.GetFileName(script)} {string.Join(' ', arguments)}: {await output}{await errors}");
        return await output;
    }
}
