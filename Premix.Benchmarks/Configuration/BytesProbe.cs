using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using Premix.Benchmarks.Data;

namespace Premix.Benchmarks.Configuration;

/// <summary>
/// The exact managed bytes a call of some benchmark methods allocates, without BenchmarkDotNet's runs:
/// <c>--bytes GetByKeyBenchmarks PostgreSql 2000 2 Dapper Premix AdoNet</c> sets the class up on that engine, calls each
/// method 300 times to warm it up, then per round calls it 2000 times between two readings of
/// <see cref="GC.GetTotalAllocatedBytes(bool)"/> and prints the bytes a call.
/// </summary>
/// <remarks>
/// The figure MemoryDiagnoser reports, for a fraction of its machine time, and it holds on a loaded machine, where timings
/// do not. On PostgreSQL and MariaDB it moves by a few hundred bytes between rounds (a driver's await that really waits
/// boxes its state machine, one that completes at once does not): compare medians of several rounds there.
/// docs/performance.md's "Bytes a read allocates" was measured this way. <c>--bytes-sync</c> makes every call as
/// BenchmarkDotNet does: from one dedicated thread that blocks on it (<c>GetAwaiter().GetResult()</c>), so a call that
/// resumes on a pool thread gives back what it rented there, not on the calling thread.
/// </remarks>
internal static class BytesProbe
{
    /// <summary>The first argument that asks for this probe instead of BenchmarkDotNet.</summary>
    public const string Switch = "--bytes";

    /// <summary>The same probe, every call made from one dedicated thread that blocks on it.</summary>
    public const string SyncSwitch = "--bytes-sync";

    private const int WarmUpCalls = 300;

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

        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, call) in methods)
            {
                GC.Collect();
                var before = GC.GetTotalAllocatedBytes(precise: true);
                for (var i = 0; i < calls; i++)
                {
                    await CallAsync(call, sync);
                }

                var bytes = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)calls;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{args[0]} {args[1]} round {round} {name,-20} {bytes,12:F1} B/call{(sync ? " (sync)" : "")}"));
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
