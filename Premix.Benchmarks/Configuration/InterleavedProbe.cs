using System.Diagnostics;
using System.Globalization;
using Premix.Benchmarks.Data;

namespace Premix.Benchmarks.Configuration;

/// <summary>
/// Ratios of benchmark methods' costs taken in one process, interleaved: <c>--interleave IncludeBenchmarks PostgreSql 20 200
/// AdoNet Premix Dapper</c> sets the class up on that engine, warms each method up (300 calls), then per round runs a block
/// of 20 calls of each method in turn (the order reversed every round) and prints, per method, the median of its per-round
/// ratios to the first method's block of that round, with the quartiles, for the process's CPU time and for wall time.
/// </summary>
/// <remarks>
/// On a loaded machine absolute times move with the load, but two blocks run a few milliseconds apart see nearly the same
/// load, so their ratio survives it far better. The process's CPU time counts every thread: set
/// <c>DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0</c> so idle thread-pool workers do not spin into it. It is read in
/// clock ticks (10 ms on Linux): a block must take far longer than that (hundreds of milliseconds) for its CPU to mean
/// anything.
/// <para>
/// Warm-up: 300 calls of each method, then more rounds of them until the JIT has compiled no method for 2 s (at most
/// 60 s; <see cref="System.Runtime.JitInfo.GetCompiledMethodCount()"/>), so that tiered compilation's background
/// recompiles, which the process's CPU time counts and which a run pinned to one core also puts in the wall time, are
/// over before the first measured block: a contender that reaches more code (the uncompiled query builds its expression
/// tree through reflection and System.Linq.Expressions) otherwise pays for its longer tier-up in the first rounds. A workload that reads other data on
/// every call (<see cref="IInterleavedBlocks"/>) is put at the same place before every block of a round.
/// </para>
/// <para>
/// Write workloads: a class with an <see cref="BenchmarkDotNet.Attributes.IterationSetupAttribute"/> method (as
/// <c>InsertBenchmarks</c>, which empties the table) has it called before every call, in the warm-up too, and its
/// <see cref="BenchmarkDotNet.Attributes.IterationCleanupAttribute"/> method after every call, as BenchmarkDotNet does
/// with one invocation per iteration; the first warm-up is then 40 calls, not 300 (a call is a whole write). Their time
/// is kept out of both figures: the wall time and the process's CPU time are then read around each call alone and
/// summed over the block, the CPU time from <see cref="Environment.CpuUsage"/> (<c>getrusage</c>: microseconds, not
/// clock ticks), and the output says so. The class's <see cref="BenchmarkDotNet.Attributes.GlobalSetupAttribute"/> runs
/// first, as for every class, and with it each contender's result check. BenchmarkDotNet never runs this code: its runs
/// are unchanged.
/// </para>
/// </remarks>
internal static class InterleavedProbe
{
    /// <summary>The first argument that asks for this probe instead of BenchmarkDotNet.</summary>
    public const string Switch = "--interleave";

    private const int WarmUpCalls = 300;

    // With an iteration setup a call is a whole write (1000 rows, or Dapper's 1000 round trips): the first warm-up is as
    // long as InsertBenchmarks' [WarmupCount(40)], past the tiered JIT's 30 calls; the rounds until the JIT is quiet follow.
    private const int WarmUpCallsPerIteration = 40;

    // The warm-up goes on in rounds of at least WarmUpRound until the JIT has compiled nothing for QuietWarmUp (tiering
    // recompiles hot methods in bursts; on a loaded machine they came up to 9 s apart and went on for 20 s)...
    private static readonly TimeSpan WarmUpRound = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan QuietWarmUp = TimeSpan.FromSeconds(2);

    // ...or this long has passed.
    private static readonly TimeSpan LongestWarmUp = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (args.Count < 6)
        {
            await Console.Error.WriteLineAsync($"Usage: {Switch} CLASS ENGINE CALLS ROUNDS BASE METHOD... (for example {Switch} IncludeBenchmarks PostgreSql 20 200 AdoNet Premix Dapper)");
            return 2;
        }

        var type = typeof(InterleavedProbe).Assembly.GetTypes().Single(t => t.Name == args[0]);
        var benchmark = Activator.CreateInstance(type)!;
        type.GetProperty(nameof(Engine))!.SetValue(benchmark, Enum.Parse<Engine>(args[1], ignoreCase: true));
        var calls = int.Parse(args[2], CultureInfo.InvariantCulture);
        var rounds = int.Parse(args[3], CultureInfo.InvariantCulture);
        var methods = args.Skip(4).Select(name => (Name: name, Call: (Func<Task>)Delegate.CreateDelegate(typeof(Func<Task>), benchmark, type.GetMethod(name)!))).ToList();

        var setup = IterationMethod(type, typeof(BenchmarkDotNet.Attributes.IterationSetupAttribute));
        var cleanup = IterationMethod(type, typeof(BenchmarkDotNet.Attributes.IterationCleanupAttribute));
        var perCall = setup is not null || cleanup is not null;
        var unwrapped = methods.Select(m => m.Call).ToList();
        if (perCall)
        {
            // Every call between its class's iteration setup and cleanup, as BenchmarkDotNet calls it with one invocation
            // an iteration; what they cost is taken out below.
            methods = methods.Select(m => (m.Name, Call: WithIteration(benchmark, setup, cleanup, m.Call))).ToList();
        }

        await BytesProbe.InvokeAsync(benchmark, typeof(BenchmarkDotNet.Attributes.GlobalSetupAttribute));
        var warmUpCalls = perCall ? WarmUpCallsPerIteration : WarmUpCalls;
        foreach (var (_, call) in methods)
        {
            for (var i = 0; i < warmUpCalls; i++)
            {
                await call();
            }
        }

        var warmUp = await WarmUpAsync(methods.Select(m => m.Call).ToList());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Warm-up: {warmUp.Rounds} rounds past the first {warmUpCalls} calls, {warmUp.Elapsed.TotalSeconds:F1} s, {System.Runtime.JitInfo.GetCompiledMethodCount()} methods compiled{(warmUp.Quiet ? "" : " (the JIT was still compiling: the first rounds may include its work)")}"));
        var blocks = benchmark as IInterleavedBlocks;

        var process = Process.GetCurrentProcess();
        var cpu = new double[methods.Count, rounds];
        var wall = new double[methods.Count, rounds];
        for (var round = 0; round < rounds; round++)
        {
            for (var n = 0; n < methods.Count; n++)
            {
                var m = round % 2 == 0 ? n : methods.Count - 1 - n;
                blocks?.StartBlock(round, calls);
                if (perCall)
                {
                    (cpu[m, round], wall[m, round]) = await MeasureEachCallAsync(benchmark, setup, cleanup, unwrapped[m], calls);
                    continue;
                }

                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < calls; i++)
                {
                    await methods[m].Call();
                }

                wall[m, round] = clock.Elapsed.TotalMicroseconds / calls;
                process.Refresh();
                cpu[m, round] = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / calls;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{args[0]} {args[1]}: {rounds} rounds of {calls} calls each, ratios to {methods[0].Name} (median [quartiles] of the rounds' ratios)"));
        if (perCall)
        {
            Console.WriteLine($"  {type.Name}'s [IterationSetup] {setup?.Name ?? "(none)"} and [IterationCleanup] {cleanup?.Name ?? "(none)"} ran before and after every call, outside the measured wall and CPU time (both read around each call alone; CPU from getrusage)");
        }

        for (var m = 0; m < methods.Count; m++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {methods[m].Name,-20} CPU {Median(cpu, m),8:F1} µs/call, ratio {Ratios(cpu, m)}   wall {Median(wall, m),8:F1} µs/call, ratio {Ratios(wall, m)}"));
        }

        await BytesProbe.InvokeAsync(benchmark, typeof(BenchmarkDotNet.Attributes.GlobalCleanupAttribute));
        return 0;
    }

    private static System.Reflection.MethodInfo? IterationMethod(Type type, Type attribute) =>
        type.GetMethods().SingleOrDefault(m => m.GetCustomAttributes(attribute, inherit: true).Length > 0);

    // The call between the class's iteration setup and cleanup, for the warm-up.
    private static Func<Task> WithIteration(object benchmark, System.Reflection.MethodInfo? setup, System.Reflection.MethodInfo? cleanup, Func<Task> call) =>
        async () =>
        {
            await InvokeAsync(benchmark, setup);
            await call();
            await InvokeAsync(benchmark, cleanup);
        };

    private static async Task InvokeAsync(object benchmark, System.Reflection.MethodInfo? method)
    {
        if (method?.Invoke(benchmark, null) is Task task)
        {
            await task;
        }
    }

    // A block of calls each between the iteration setup and cleanup: the CPU (getrusage) and wall time of the calls alone,
    // in µs a call.
    private static async Task<(double Cpu, double Wall)> MeasureEachCallAsync(object benchmark, System.Reflection.MethodInfo? setup, System.Reflection.MethodInfo? cleanup, Func<Task> call, int calls)
    {
        var cpu = TimeSpan.Zero;
        var wall = TimeSpan.Zero;
        for (var i = 0; i < calls; i++)
        {
            await InvokeAsync(benchmark, setup);
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var start = Stopwatch.GetTimestamp();
            await call();
            wall += Stopwatch.GetElapsedTime(start);
            cpu += Environment.CpuUsage.TotalTime - cpuBefore;
            await InvokeAsync(benchmark, cleanup);
        }

        return (cpu.TotalMicroseconds / calls, wall.TotalMicroseconds / calls);
    }

    // Rounds of every method until the JIT compiled nothing for QuietWarmUp.
    private static async Task<(int Rounds, TimeSpan Elapsed, bool Quiet)> WarmUpAsync(IReadOnlyList<Func<Task>> calls)
    {
        var clock = Stopwatch.StartNew();
        var rounds = 0;
        var quietSince = TimeSpan.Zero;
        while (clock.Elapsed - quietSince < QuietWarmUp && clock.Elapsed < LongestWarmUp)
        {
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            var round = Stopwatch.StartNew();
            do
            {
                foreach (var call in calls)
                {
                    await call();
                }
            }
            while (round.Elapsed < WarmUpRound);

            rounds++;
            if (System.Runtime.JitInfo.GetCompiledMethodCount() != compiled)
            {
                quietSince = clock.Elapsed;
            }
        }

        return (rounds, clock.Elapsed, clock.Elapsed - quietSince >= QuietWarmUp);
    }

    private static double Median(double[,] values, int method)
    {
        var row = Enumerable.Range(0, values.GetLength(1)).Select(r => values[method, r]).Order().ToArray();
        return row[row.Length / 2];
    }

    private static string Ratios(double[,] values, int method)
    {
        var ratios = Enumerable.Range(0, values.GetLength(1)).Select(r => values[method, r] / values[0, r]).Order().ToArray();
        return string.Create(CultureInfo.InvariantCulture, $"{ratios[ratios.Length / 2]:F3} [{ratios[ratios.Length / 4]:F3}–{ratios[3 * ratios.Length / 4]:F3}]");
    }
}
