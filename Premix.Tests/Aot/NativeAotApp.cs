using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Aot;

/// <summary>
/// The AOT sample, running: its published native binary, or its JIT build with dynamic code off (<see cref="AotSampleBuild"/>),
/// started on a free loopback port with its configuration on the command line, ready once it answers <c>GET /authors</c>,
/// killed when disposed. What it printed is kept for messages.
/// </summary>
internal sealed class NativeAotApp : IAsyncDisposable
{
    private const string DynamicCodeSwitch = "System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported";
    // A wait, not a measure: the JIT build's first request compiles the app (seen over 5 s at a load of 40 on 2 cores).
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NativeAotApp(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The address it listens on.</summary>
    public Uri Address { get; }

    /// <summary>
    /// What it printed from <paramref name="mark"/> (an earlier length of <see cref="Output"/>) on, once that holds
    /// <paramref name="text"/>, or after 10 s without it: the console logger writes from a queue of its own, so a line
    /// may follow the answer it belongs to by a moment. A wait, not an assertion on time.
    /// </summary>
    public async Task<string> OutputSinceAsync(int mark, string text)
    {
        for (var attempt = 0; attempt < 100 && !Output[mark..].Contains(text, StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100);
        }

        return Output[mark..];
    }

    /// <summary>A client on <see cref="Address"/>, disposed with the app.</summary>
    public HttpClient Client { get; }

    /// <summary>
    /// From process start to the first answered request, including the probes given up on after 5 s
    /// (<see cref="ProbesTimedOut"/>): a wait, not a measure.
    /// </summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>How many start probes ran out of their 5 s before the app answered one.</summary>
    public int ProbesTimedOut { get; private set; }

    /// <summary>Everything the process printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="binary"/> with <paramref name="arguments"/> and waits until it answers, failing the test with its output if it exits or never does.</summary>
    public static Task<NativeAotApp> StartAsync(string binary, params string[] arguments) => StartAsync(binary, [], Path.GetDirectoryName(binary)!, arguments);

    /// <summary>
    /// Starts the sample's <paramref name="build"/> with <paramref name="arguments"/> and waits until it answers: the native
    /// binary (published first, once per run), or the JIT build through dotnet, after checking that its runtimeconfig has
    /// dynamic code off.
    /// </summary>
    public static async Task<NativeAotApp> StartAsync(AotSampleBuild build, params string[] arguments)
    {
        if (build == AotSampleBuild.Native)
        {
            return await StartAsync((await NativeAotPublish.GetAsync()).Binary, arguments);
        }

        var assembly = JitAssembly;
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(assembly, ".runtimeconfig.json")))!;
        Assert.That(config["runtimeOptions"]?["configProperties"]?[DynamicCodeSwitch]?.GetValue<bool>(), Is.False,
            $"the SDK writes {DynamicCodeSwitch}=false into the JIT build of a PublishAot project ({assembly}); without it this run would prove nothing");
        return await StartAsync(ChildProcess.DotnetHost, ["exec", assembly], Path.GetDirectoryName(assembly)!, arguments);
    }

    // program's own arguments (leading: dotnet's exec and the assembly) come before the app's.
    private static async Task<NativeAotApp> StartAsync(string program, string[] leading, string workingDirectory, string[] arguments)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = ChildProcess.StartInfo(program, [.. leading, $"--urls={address}", .. arguments], workingDirectory);

        var clock = Stopwatch.StartNew();
        var app = new NativeAotApp(Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start."), address);
        try
        {
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
            while (clock.Elapsed < StartTimeout)
            {
                if (app._process.HasExited)
                {
                    await app._process.WaitForExitAsync();
                    Assert.Fail($"The AOT sample exited with {app._process.ExitCode} before answering:{Environment.NewLine}{app.Output}");
                }

                try
                {
                    using var answer = await client.GetAsync(new Uri("/authors", UriKind.Relative));
                    app.StartupTime = clock.Elapsed;
                    return app;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(20);
                }
                catch (TaskCanceledException)
                {
                    // The probe's own 5 s ran out: a JIT start on a loaded machine may still be compiling its first request. Ask
                    // again until StartTimeout; an app that listens and never answers then fails below with its output.
                    app.ProbesTimedOut++;
                }
            }

            Assert.Fail($"The AOT sample did not answer within {StartTimeout} ({app.ProbesTimedOut} probes timed out after 5 s):{Environment.NewLine}{app.Output}");
            return app;
        }
        catch
        {
            // Whatever ends the start (an exit, no answer, an unexpected exception) must not leave the app running: the
            // fixture never receives it, so its teardown could not stop it.
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="binary"/> with <paramref name="arguments"/> as a one-shot command (no server expected) and returns
    /// its exit code and everything it printed, failing the test if it is still running after a minute. It is given a free
    /// loopback port all the same: a start that is not refused, as expected, must not take the shared default port.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string binary, params string[] arguments)
    {
        var result = await ChildProcess.RunToExitAsync(
            StartInfo(binary, [$"--urls=http://127.0.0.1:{FreePort()}", .. arguments]), TimeSpan.FromMinutes(1), $"{Path.GetFileName(binary)} {string.Join(' ', arguments)}");
        return (result.ExitCode, result.Everything);
    }

    /// <summary>The sample's JIT build, which the test project's build builds (a project reference) in its own configuration.</summary>
    public static string JitAssembly => Path.Combine(NativeAotPublish.Project, "bin", NativeAotPublish.Configuration, "net10.0", "Premix.AotSample.dll");

    /// <summary>Kills the process.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(string binary, IEnumerable<string> arguments) =>
        ChildProcess.StartInfo(binary, arguments, Path.GetDirectoryName(binary));

    /// <summary>
    /// The sample's <c>Premix:shop:Provider</c> value for <paramref name="engine"/>: the sample's own engine names, which the
    /// tool's <c>CliProcess.ProviderName</c> (the premix command line's spelling) need not keep in step with.
    /// </summary>
    public static string ProviderName(Engine engine) => engine switch
    {
        Engine.PostgreSql => "PostgreSql",
        Engine.MySql => "MySql",
        _ => "Sqlite",
    };

    /// <summary>A loopback port nothing listens on (at the time of the call).</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}

/// <summary>Which build of the AOT sample a fixture runs.</summary>
public enum AotSampleBuild
{
    /// <summary>The published native binary (<see cref="NativeAotPublish"/>): no JIT, trimmed.</summary>
    Native,

    /// <summary>
    /// The sample's JIT build run by dotnet with the runtimeconfig the SDK writes for a PublishAot project, whose
    /// IsDynamicCodeSupported is false: Premix takes its native AOT branches, with the generated model, in seconds and
    /// without a publish (reflection still finds what trimming would remove, which only the native build shows).
    /// </summary>
    JitDynamicCodeOff,
}
