using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using Premix.Benchmarks.Data;

namespace Premix.Benchmarks.Configuration;

/// <summary>
/// The exact managed bytes a call of some benchmark methods allocates, without BenchmarkDotNet's runs:
/// <c>--bytes GetByKeyBenchmarks PostgreSql 2000 2 Dapper Premix AdoNet</c> sets the class up on that engine, warms each
/// method up (300 calls, then rounds of all of them until tiered compilation has settled, <see cref="TieringWait"/>, as
/// <see cref="InterleavedProbe"/> does), then per round calls it 2000 times between two readings of
/// <see cref="GC.GetTotalAllocatedBytes(bool)"/> (every thread's allocations, exact) and prints the bytes a call, and at
/// the end each method's median, minimum and maximum over the rounds.
/// </summary>
/// <remarks>
/// The figure MemoryDiagnoser reports, for a fraction of its machine time. What moved it on a loaded machine, and what the
/// probe does about each (docs/performance.md, "Why PostgreSQL's bytes moved under load"):
/// <list type="bullet">
/// <item>Code still at tier 0: the JIT's background recompiles starve under load, and unoptimized code allocates what
/// optimized code does not (<c>Enum.HasFlag</c> boxes its enum: Npgsql's <c>CommandBehavior</c> and <c>ConnectionState</c>
/// were a fifth of a PostgreSQL get's bytes at load 20). The warm-up now waits for tiering to finish, and a round during
/// which the JIT compiled anything says so.</item>
/// <item>Awaits that really wait: a driver's async method that suspends boxes its state machine, one that completes at
/// once does not, and on a loaded machine more of them suspend. Real allocations, not a measuring error: read the median
/// over five or more rounds, and the minimum for the path where nothing waits.</item>
/// </list>
/// <c>--bytes-sync</c> makes every call as BenchmarkDotNet does: from one dedicated thread that blocks on it
/// (<c>GetAwaiter().GetResult()</c>), so a call that resumes on a pool thread gives back what it rented there, not on the
/// calling thread; each round then also shows the caller's thread's bytes apart from the other threads' (what resumed on
/// the pool after a wait). With <c>PREMIX_BYTES_SITES=N</c> each method's N largest types are listed
/// (<see cref="AllocationSites"/>, sampled).
/// <para>
/// Exact bytes come only from runs without <c>PREMIX_BYTES_SITES</c>: with it, the listener's own dispatch allocates (an
/// <see cref="System.Diagnostics.Tracing.EventWrittenEventArgs"/> and boxed payload values per runtime event, on the
/// runtime's dispatch thread) inside the measured window, and the probe says so on every round. Runtime events reach an
/// in-process listener late, through that dispatch thread: the probe waits <see cref="SitesDrain"/> after each method's
/// stretch (outside its byte readings) before it stops counting, so a stretch's last samples are not given to the next
/// method. Use the sampled types for shares, the runs without the variable for bytes.
/// </para>
/// </remarks>
internal static class BytesProbe
{
    /// <summary>The first argument that asks for this probe instead of BenchmarkDotNet.</summary>
    public const string Switch = "--bytes";

    /// <summary>The same probe, every call made from one dedicated thread that blocks on it.</summary>
    public const string SyncSwitch = "--bytes-sync";

    /// <summary>
    /// Set to N to print, per method, the N types that took most of its bytes (sampled by <see cref="AllocationSites"/>).
    /// </summary>
    public const string SitesVariable = "PREMIX_BYTES_SITES";

    private const int WarmUpCalls = 300;

    /// <summary>How long the sampling listener is left to receive a stretch's last events before it stops counting.</summary>
    private static readonly TimeSpan SitesDrain = TimeSpan.FromMilliseconds(500);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, bool sync = false)
    {
        if (args.Count < 5)
        {
            await Console.Error.WriteLineAsync($"Usage: {Switch} CLASS ENGINE CALLS ROUNDS METHOD... (for example {Switch} IncludeBenchmarks Sqlite 500 2 Dapper AdoNet Premix)");
            return 2;
        }

        var type = typeof(BytesProbe).Assembly.GetTypes().Single(t => t.Name == args[0]);
        var benchmark = Activator.CreateInstance(type)!;
        type.GetProperty(nameof(Engine))!.SetValue(benchmark, Enum.Parse<Engine>(args[1], ignoreCase: true));
        var calls = int.Parse(args[2], CultureInfo.InvariantCulture);
        var rounds = int.Parse(args[3], CultureInfo.InvariantCulture);
        if (calls < 1 || rounds < 1)
        {
            await Console.Error.WriteLineAsync($"CALLS and ROUNDS must be at least 1 (got {args[2]} and {args[3]}).");
            return 2;
        }

        if (Environment.GetEnvironmentVariable(SitesVariable) is { } top && (!int.TryParse(top, CultureInfo.InvariantCulture, out var n) || n < 0))
        {
            await Console.Error.WriteLineAsync($"{SitesVariable} must be a number of types, 0 or more (got '{top}').");
            return 2;
        }
        var methods = args.Skip(4).Select(name => (Name: name, Call: (Func<Task>)Delegate.CreateDelegate(typeof(Func<Task>), benchmark, type.GetMethod(name)!))).ToList();

        await InvokeAsync(benchmark, typeof(GlobalSetupAttribute));
        if (sync)
        {
            var thread = new Thread(() => MeasureAsync(args, methods, calls, rounds, sync: true).GetAwaiter().GetResult()) { Name = "BytesProbe caller" };
            thread.Start();
            thread.Join();
        }
        else
        {
            await MeasureAsync(args, methods, calls, rounds, sync: false);
        }

        await InvokeAsync(benchmark, typeof(GlobalCleanupAttribute));
        return 0;
    }

    // Warms each method up, then prints its bytes a call per round; sync: each call blocked on where it was made.
    private static async Task MeasureAsync(IReadOnlyList<string> args, List<(string Name, Func<Task> Call)> methods, int calls, int rounds, bool sync)
    {
        foreach (var (_, call) in methods)
        {
            for (var i = 0; i < WarmUpCalls; i++)
            {
                await CallAsync(call, sync);
            }
        }

        // Until tiered compilation is done: code still at tier 0 allocates what optimized code does not (Enum.HasFlag boxes
        // its enum there: Npgsql's CommandBehavior and ConnectionState were 20 % of a get's bytes on a loaded machine).
        var warmUp = await TieringWait.WarmUpAsync([.. methods.Select(m => (Func<Task>)(() => CallAsync(m.Call, sync)))]);
        Console.WriteLine($"Warm-up: past the first {WarmUpCalls} calls of each, {warmUp.Describe()}");

        var perRound = methods.ToDictionary(m => m.Name, _ => new List<double>());
        var sites = Environment.GetEnvironmentVariable(SitesVariable) is { } top ? int.Parse(top, CultureInfo.InvariantCulture) : 0; // checked in RunAsync
        using var listener = sites > 0 ? new AllocationSites() : null;
        var sampled = methods.ToDictionary(m => m.Name, _ => new Dictionary<string, long>(StringComparer.Ordinal));
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, call) in methods)
            {
                GC.Collect();
                listener?.Start();
                var before = GC.GetTotalAllocatedBytes(precise: true);
                var beforeHere = GC.GetAllocatedBytesForCurrentThread();
                var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
                for (var i = 0; i < calls; i++)
                {
                    await CallAsync(call, sync);
                }

                var here = (GC.GetAllocatedBytesForCurrentThread() - beforeHere) / (double)calls; // meaningful with sync only: an await may move the caller
                var bytes = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)calls;
                if (listener is not null)
                {
                    Thread.Sleep(SitesDrain); // the stretch's last events arrive late, through the runtime's dispatch thread
                    foreach (var (type, amount) in listener.Stop())
                    {
                        sampled[name][type] = sampled[name].GetValueOrDefault(type) + amount;
                    }
                }

                perRound[name].Add(bytes);
                var jitted = System.Runtime.JitInfo.GetCompiledMethodCount() - compiled;
                var split = sync ? string.Create(CultureInfo.InvariantCulture, $" (sync; caller's thread {here,8:F1}, other threads {bytes - here,8:F1})") : "";
                var inexact = listener is not null ? $", not exact: {SitesVariable} is set" : "";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{args[0]} {args[1]} round {round} {name,-20} {bytes,12:F1} B/call{split}{(jitted > 0 ? $", {jitted} methods compiled meanwhile" : "")}{inexact}"));
            }
        }

        foreach (var (name, _) in methods)
        {
            var sorted = perRound[name].Order().ToList();
            var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{args[0]} {args[1]} {name,-20} median {median,9:F1} B/call, min {sorted[0],9:F1}, max {sorted[^1],9:F1} over {sorted.Count} rounds"));
            if (sites > 0)
            {
                var total = sampled[name].Values.Sum();
                foreach (var (type, amount) in sampled[name].OrderByDescending(p => p.Value).Take(sites))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {amount * 100.0 / Math.Max(total, 1),5:F1} %  {type}"));
                }
            }
        }
    }

    private static Task CallAsync(Func<Task> call, bool sync)
    {
        if (!sync)
        {
            return call();
        }

        call().GetAwaiter().GetResult();
        return Task.CompletedTask;
    }

    // The class's setup or cleanup, as BenchmarkDotNet would call it.
    internal static async Task InvokeAsync(object benchmark, Type attribute)
    {
        foreach (var method in benchmark.GetType().GetMethods().Where(m => m.GetCustomAttribute(attribute) is not null))
        {
            if (method.Invoke(benchmark, null) is Task task)
            {
                await task;
            }
        }
    }
}
