using System.Diagnostics;
using System.Globalization;
using Premix.Benchmarks.Data;

namespace Premix.Benchmarks.Configuration;

/// <summary>
/// Ratios of benchmark methods' costs taken in one process, interleaved: <c>--interleave IncludeBenchmarks PostgreSql 20 200
/// AdoNet Premix Dapper</c> sets the class up on that engine, warms each method up (300 calls), then per round runs a block
/// of 20 calls of each method in turn (the order rotated every round and reversed every other cycle of rounds:
/// <see cref="InterleaveOrder"/>) and prints, per method, the median of its per-round
/// ratios to the first method's block of that round, with the quartiles, for the process's CPU time and for wall time.
/// </summary>
/// <remarks>
/// On a loaded machine absolute times move with the load, but two blocks run a few milliseconds apart see nearly the same
/// load, so their ratio survives it far better. The process's CPU time counts every thread: set
/// <c>DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0</c> so idle thread-pool workers do not spin into it. On Linux (.NET 10)
/// <see cref="Process.TotalProcessorTime"/> resolves to a microsecond; on Windows it counts in 15.6 ms ticks, so there a
/// block must take far longer than that (hundreds of milliseconds) for its CPU to mean anything.
/// <para>
/// Warm-up: 300 calls of each method, then rounds of them until tiered compilation has settled
/// (<see cref="TieringWait"/>, shared with <see cref="BytesProbe"/>: nothing compiled and no tiering event for 2 s, the
/// background JIT idle with nothing queued; at most 90 s), so that tiered compilation's background
/// recompiles, which the process's CPU time counts and which a run pinned to one core also puts in the wall time, are
/// over before the first measured block: a contender that reaches more code (the uncompiled query builds its expression
/// tree through reflection and System.Linq.Expressions) otherwise pays for its longer tier-up in the first rounds. The
/// output says how the warm-up ended, and how many methods were compiled during the measured rounds. A workload that
/// reads other data on every call (<see cref="IInterleavedBlocks"/>) is put at the same place before every block of a round.
/// </para>
/// <para>
/// Write workloads: a class with an <see cref="BenchmarkDotNet.Attributes.IterationSetupAttribute"/> method (as
/// <c>InsertBenchmarks</c>, which empties the table) has it called before every call, in the warm-up too, and its
/// <see cref="BenchmarkDotNet.Attributes.IterationCleanupAttribute"/> method after every call, as BenchmarkDotNet does
/// with one invocation per iteration: such a class must say <c>[InvocationCount(1, 1)]</c>, or the probe refuses it. A
/// setup or cleanup whose <c>Targets</c> name methods applies to those methods only; two that apply to the same method
/// are refused. The first warm-up is then the class's <see cref="BenchmarkDotNet.Attributes.WarmupCountAttribute"/>
/// calls (40 without one), not 300 (a call is a whole write). Their time is kept out of both figures: the wall time and
/// the process's CPU time are then read around each call alone and summed over the block, the CPU time from
/// <see cref="Environment.CpuUsage"/> (process-wide, every thread: <c>getrusage(RUSAGE_SELF)</c> on Linux and macOS,
/// microseconds; on Windows <c>GetProcessTimes</c>, 15.6 ms ticks, too coarse for one call: the output then says the
/// CPU column is not meaningful), and the output says so. The class's <see cref="BenchmarkDotNet.Attributes.GlobalSetupAttribute"/> runs
/// first, as for every class, and with it each contender's result check. BenchmarkDotNet never runs this code: its runs
/// are unchanged.
/// </para>
/// </remarks>
internal static class InterleavedProbe
{
    /// <summary>The first argument that asks for this probe instead of BenchmarkDotNet.</summary>
    public const string Switch = "--interleave";

    private const int WarmUpCalls = 300;

    // With an iteration setup a call is a whole write (1000 rows, or Dapper's 1000 round trips): the first warm-up is the
    // class's [WarmupCount] calls, as BenchmarkDotNet's, or this many without one (past the tiered JIT's 30 calls); the
    // rounds until the JIT is quiet follow.
    private const int WarmUpCallsPerIteration = 40;

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

        var setups = new System.Reflection.MethodInfo?[methods.Count];
        var cleanups = new System.Reflection.MethodInfo?[methods.Count];
        for (var m = 0; m < methods.Count; m++)
        {
            setups[m] = IterationMethod(type, typeof(BenchmarkDotNet.Attributes.IterationSetupAttribute), methods[m].Name);
            cleanups[m] = IterationMethod(type, typeof(BenchmarkDotNet.Attributes.IterationCleanupAttribute), methods[m].Name);
        }

        var perCall = setups.Any(s => s is not null) || cleanups.Any(c => c is not null);
        var unwrapped = methods.Select(m => m.Call).ToList();
        if (perCall)
        {
            var invocations = RunCharacteristic(type, typeof(BenchmarkDotNet.Attributes.InvocationCountAttribute), run => run.InvocationCount);
            if (invocations != 1)
            {
                throw new InvalidOperationException($"{type.Name} has an [IterationSetup] or [IterationCleanup] but {(invocations is null ? "no [InvocationCount]" : $"[InvocationCount({invocations})]")}: {Switch} runs them around every call, as BenchmarkDotNet does only with [InvocationCount(1, 1)]; say that on the class, or measure it with BenchmarkDotNet.");
            }

            // Every call between its class's iteration setup and cleanup, as BenchmarkDotNet calls it with one invocation
            // an iteration; what they cost is taken out below.
            methods = methods.Select((m, i) => (m.Name, Call: WithIteration(benchmark, setups[i], cleanups[i], m.Call))).ToList();
        }

        await BytesProbe.InvokeAsync(benchmark, typeof(BenchmarkDotNet.Attributes.GlobalSetupAttribute));
        var warmUpCalls = perCall
            ? (int)(RunCharacteristic(type, typeof(BenchmarkDotNet.Attributes.WarmupCountAttribute), run => run.WarmupCount) ?? WarmUpCallsPerIteration)
            : WarmUpCalls;
        foreach (var (_, call) in methods)
        {
            for (var i = 0; i < warmUpCalls; i++)
            {
                await call();
            }
        }

        // A block measured exactly as in the rounds below, so that the warm-up also tiers up the measuring code
        // (Process.Refresh, TotalProcessorTime, Environment.CpuUsage): left to the measured rounds, about 50 of its
        // methods were compiled there, in 13-17 rounds of 120 (GetByKeyBenchmarks on SQLite, three contenders).
        var process = Process.GetCurrentProcess();
        async Task<(double Cpu, double Wall)> MeasureBlockAsync(int m)
        {
            if (perCall)
            {
                return await MeasureEachCallAsync(benchmark, setups[m], cleanups[m], unwrapped[m], calls);
            }

            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < calls; i++)
            {
                await methods[m].Call();
            }

            var wallPerCall = clock.Elapsed.TotalMicroseconds / calls;
            process.Refresh();
            return ((process.TotalProcessorTime - cpuBefore).TotalMicroseconds / calls, wallPerCall);
        }

        var warmUp = await TieringWait.WarmUpAsync([.. Enumerable.Range(0, methods.Count).Select(m => (Func<Task>)(() => MeasureBlockAsync(m)))]);
        Console.WriteLine($"Warm-up: past the first {warmUpCalls} calls of each, blocks of {calls} calls measured as below, {warmUp.Describe()}");
        var blocks = benchmark as IInterleavedBlocks;

        var cpu = new double[methods.Count, rounds];
        var wall = new double[methods.Count, rounds];
        var compiledBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        var roundsCompiling = 0;
        for (var round = 0; round < rounds; round++)
        {
            var compiledAtRound = System.Runtime.JitInfo.GetCompiledMethodCount();
            foreach (var m in InterleaveOrder.For(round, methods.Count))
            {
                blocks?.StartBlock(round, calls);
                (cpu[m, round], wall[m, round]) = await MeasureBlockAsync(m);
            }

            if (System.Runtime.JitInfo.GetCompiledMethodCount() != compiledAtRound)
            {
                roundsCompiling++;
            }
        }

        var compiledMeanwhile = System.Runtime.JitInfo.GetCompiledMethodCount() - compiledBefore;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{args[0]} {args[1]}: {rounds} rounds of {calls} calls each, ratios to {methods[0].Name} (median [quartiles] of the rounds' ratios)"));
        var firsts = InterleaveOrder.FirstCounts(rounds, methods.Count);
        Console.WriteLine($"  Order rotated every round and reversed every {methods.Count} rounds (InterleaveOrder): first in a round {string.Join(", ", methods.Select((m, i) => $"{m.Name} {firsts[i]}×"))}{(rounds % (2 * methods.Count) == 0 ? "" : $" (ROUNDS not a multiple of {2 * methods.Count}: positions not exactly even)")}");
        Console.WriteLine($"  JIT during the measured rounds: {compiledMeanwhile} methods compiled, in {roundsCompiling} of {rounds} rounds");
        if (perCall)
        {
            var around = string.Join(", ", methods.Select((m, i) => $"{m.Name}: {setups[i]?.Name ?? "(none)"} / {cleanups[i]?.Name ?? "(none)"}").Distinct());
            Console.WriteLine($"  {type.Name}'s [IterationSetup] / [IterationCleanup] ({around}) ran before and after every call, the first warm-up {warmUpCalls} calls; outside the measured wall and CPU time (both read around each call alone; CPU from Environment.CpuUsage, process-wide)");
            if (OperatingSystem.IsWindows())
            {
                Console.WriteLine("  CPU per call is not meaningful on Windows (GetProcessTimes counts in 15.6 ms ticks): read the wall figures only.");
            }
        }

        for (var m = 0; m < methods.Count; m++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {methods[m].Name,-20} CPU {Median(cpu, m),8:F1} µs/call, ratio {Ratios(cpu, m)}   wall {Median(wall, m),8:F1} µs/call, ratio {Ratios(wall, m)}"));
        }

        await BytesProbe.InvokeAsync(benchmark, typeof(BenchmarkDotNet.Attributes.GlobalCleanupAttribute));
        return 0;
    }

    // The class's iteration setup (or cleanup) for the contender named: one with no Targets, or one whose Targets name it,
    // as BenchmarkDotNet picks it; two that apply are refused with the class's name.
    private static System.Reflection.MethodInfo? IterationMethod(Type type, Type attribute, string contender)
    {
        var applying = type.GetMethods()
            .Where(m => m.GetCustomAttributes(attribute, inherit: true).Cast<BenchmarkDotNet.Attributes.TargetedAttribute>()
                .Any(a => a.Targets is null || a.Targets.Length == 0 || a.Targets.Contains(contender)))
            .ToList();
        return applying.Count switch
        {
            0 => null,
            1 => applying[0],
            _ => throw new InvalidOperationException($"{type.Name} has more than one [{attribute.Name.Replace("Attribute", "", StringComparison.Ordinal)}] for {contender} ({string.Join(", ", applying.Select(m => m.Name))}): {Switch} runs one; name each method's Targets."),
        };
    }

    // A run characteristic the class sets through an attribute ([WarmupCount], [InvocationCount]), or null without it.
    private static long? RunCharacteristic(Type type, Type attribute, Func<BenchmarkDotNet.Jobs.RunMode, long> read) =>
        type.GetCustomAttributes(attribute, inherit: true).Cast<BenchmarkDotNet.Configs.IConfigSource>()
            .SelectMany(a => a.Config.GetJobs()).Select(job => (long?)read(job.Run)).FirstOrDefault();

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
        switch (method?.Invoke(benchmark, null))
        {
            case Task task:
                await task;
                break;
            case ValueTask valueTask:
                await valueTask;
                break;
            case { } other:
                throw new InvalidOperationException($"{method!.DeclaringType?.Name}.{method.Name} returns {other.GetType().Name}: {Switch} awaits only Task and ValueTask.");
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
