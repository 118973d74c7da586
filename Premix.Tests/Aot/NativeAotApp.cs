using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Premix.Tests.Aot;

/// <summary>
/// The published native binary of the AOT sample, running: started on a free loopback port with its configuration on the
/// command line, ready once it answers <c>GET /authors</c>, killed when disposed. What it printed is kept for messages.
/// </summary>
internal sealed class NativeAotApp : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NativeAotApp(Process process, Uri address)
    {
        _process = process;
        Address = address;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The address it listens on.</summary>
    public Uri Address { get; }

    /// <summary>From process start to the first answered request.</summary>
    public TimeSpan StartupTime { get; private set; }

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
    public static async Task<NativeAotApp> StartAsync(string binary, params string[] arguments)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(binary)!,
        };
        start.ArgumentList.Add($"--urls={address}");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        var app = new NativeAotApp(Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start."), address);
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        while (clock.Elapsed < StartTimeout)
        {
            if (app._process.HasExited)
            {
                await app._process.WaitForExitAsync();
                Assert.Fail($"The native AOT sample exited with {app._process.ExitCode} before answering:{Environment.NewLine}{app.Output}");
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
        }

        await app.DisposeAsync();
        Assert.Fail($"The native AOT sample did not answer within {StartTimeout}:{Environment.NewLine}{app.Output}");
        return app;
    }

    /// <summary>
    /// Starts <paramref name="binary"/> with <paramref name="arguments"/> for a start that must fail: waits until it exits
    /// (failing the test if it is still running after the start timeout) and returns its exit code and what it printed.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string binary, params string[] arguments)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(binary)!,
        };
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{FreePort()}");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        await using var app = new NativeAotApp(Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start."), new Uri("http://127.0.0.1"));
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            await app._process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The native AOT sample was still running after {StartTimeout}, where its start should have failed:{Environment.NewLine}{app.Output}");
        }

        return (app._process.ExitCode, app.Output);
    }

    /// <summary>Kills the process.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
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
