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
/// </remarks>
internal static class InterleavedProbe
{
    /// <summary>The first argument that asks for this probe instead of BenchmarkDotNet.</summary>
    public const string Switch = "--interleave";

    private const int WarmUpCalls = 300;

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

        await BytesProbe.InvokeAsync(benchmark, typeof(BenchmarkDotNet.Attributes.GlobalSetupAttribute));
        foreach (var (_, call) in methods)
        {
            for (var i = 0; i < WarmUpCalls; i++)
            {
                await call();
            }
        }

        var warmUp = await WarmUpAsync(methods.Select(m => m.Call).ToList());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Warm-up: {warmUp.Rounds} rounds past the first {WarmUpCalls} calls, {warmUp.Elapsed.TotalSeconds:F1} s, {System.Runtime.JitInfo.GetCompiledMethodCount()} methods compiled{(warmUp.Quiet ? "" : " (the JIT was still compiling: the first rounds may include its work)")}"));
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
        for (var m = 0; m < methods.Count; m++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {methods[m].Name,-20} CPU {Median(cpu, m),8:F1} µs/call, ratio {Ratios(cpu, m)}   wall {Median(wall, m),8:F1} µs/call, ratio {Ratios(wall, m)}"));
        }

        await BytesProbe.InvokeAsync(benchmark, typeof(BenchmarkDotNet.Attributes.GlobalCleanupAttribute));
        return 0;
    }

    // Rounds of every method until the JIT compiled nothing for QuietWarmUp.
    internal static async Task<(int Rounds, TimeSpan Elapsed, bool Quiet)> WarmUpAsync(IReadOnlyList<Func<Task>> calls)
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
