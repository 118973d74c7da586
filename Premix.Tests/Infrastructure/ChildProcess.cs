using System.Diagnostics;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// Runs another program to its exit, as a user or a CI job would, capturing both output streams: the premix tool, the
/// dotnet CLI, a control script, a native binary. A program still running after its timeout is killed with everything
/// it started, and the test fails with what it printed, so that a hung child fails its test, not the whole run.
/// </summary>
internal static class ChildProcess
{
    /// <summary>The dotnet host the test run uses (the one <c>dotnet test</c> was started with).</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>A start of <paramref name="program"/> with <paramref name="arguments"/>, both streams redirected.</summary>
    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>
    /// Writes a copy of the runtimeconfig.json of <paramref name="app"/> (a framework-dependent .dll) whose
    /// IsDynamicCodeSupported switch is false, as the SDK writes it for the JIT builds of a PublishAot project (dotnet run,
    /// F5), to a new file in the temporary folder and returns its path: run the app with <c>dotnet exec --runtimeconfig PATH</c>
    /// for a start with dynamic code off without a native publish, and delete the file after.
    /// </summary>
    public static async Task<string> WriteRuntimeConfigWithDynamicCodeOffAsync(string app)
    {
        var config = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(app, ".runtimeconfig.json")))!;
        var options = config["runtimeOptions"]!.AsObject();
        if (options["configProperties"] is not System.Text.Json.Nodes.JsonObject properties)
        {
            options["configProperties"] = properties = [];
        }

        properties["System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported"] = false;
        var runtimeConfig = Path.Combine(Path.GetTempPath(), $"premix-dynamic-off-{Guid.NewGuid():N}.runtimeconfig.json");
        await File.WriteAllTextAsync(runtimeConfig, config.ToJsonString());
        return runtimeConfig;
    }

    /// <summary>
    /// Runs <paramref name="start"/> until it exits and returns its exit code and output; kills it and fails the test
    /// naming <paramref name="description"/> and its output when it has not exited within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<ChildProcessResult> RunToExitAsync(ProcessStartInfo start, TimeSpan timeout, string description)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{description} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{description} did not exit within {timeout}:{Environment.NewLine}{await output}{await errors}");
        }

        return new ChildProcessResult(process.ExitCode, await output, await errors);
    }
}

/// <summary>How a child process ended: its exit code and what it printed on each stream.</summary>
internal sealed record ChildProcessResult(int ExitCode, string Output, string Errors)
{
    /// <summary>Standard output followed by standard error.</summary>
    public string Everything => Output + Errors;
}
