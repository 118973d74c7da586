using System.Runtime.CompilerServices;

namespace Premix.Diagnostics;

/// <summary>
/// Marks of where a start is, for build/start-phases.sh (docs/performance.md): an internal measurement aid, not a
/// supported diagnostic (its switch, names and format may change). With the environment variable
/// <c>PREMIX_START_PHASES=1</c>, each <see cref="Mark"/> records the wall clock (microseconds since 1970, as the script's
/// <c>EPOCHREALTIME</c>) and the process's CPU time so far, and at exit one line per mark goes to stderr:
/// <c>phase NAME WALL_US CPU_US</c>. Without it a mark reads one static field and returns: the recording is in
/// <see cref="Record"/> and <see cref="StartPhaseLog"/>, which a start with the switch off never calls or loads.
/// </summary>
/// <remarks>
/// Lines are written at exit, not at the mark, so that no phase pays for the console. Marks may be taken on any thread:
/// the log takes a lock, so that each name keeps its own times. Marks of several starts in one process (two databases,
/// starts on two threads) interleave in one list, in the order they were taken; build/start-phases.sh expects one start.
/// </remarks>
internal static class StartPhases
{
    private static readonly bool On = Environment.GetEnvironmentVariable("PREMIX_START_PHASES") == "1";

    public static void Mark(string name)
    {
        if (On)
        {
            Record(name);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // kept out of Mark, so that a start with the switch off compiles and loads none of it
    private static void Record(string name) => Written.Log.Mark(name);

    // Made once, on first use, by the runtime's class constructor lock: one log and one handler whatever the threads.
    private static class Written
    {
        public static readonly StartPhaseLog Log = StartPhaseLog.WrittenAtExit();
    }
}

/// <summary>The marks of <see cref="StartPhases"/>, safe to take from several threads at once.</summary>
internal sealed class StartPhaseLog
{
    private readonly Lock _gate = new();
    private readonly List<string> _names = []; // no list over a value tuple: nothing more for the JIT
    private readonly List<long> _times = []; // wall, CPU, wall, CPU, …

    /// <summary>A log whose lines go to stderr when the process exits.</summary>
    public static StartPhaseLog WrittenAtExit()
    {
        var log = new StartPhaseLog();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => log.WriteTo(Console.Error);
        return log;
    }

    /// <summary>Records <paramref name="name"/> with the wall clock and the process's CPU time, read under the lock.</summary>
    public void Mark(string name)
    {
        lock (_gate)
        {
            _names.Add(name);
            _times.Add((DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10);
            _times.Add(Environment.CpuUsage.TotalTime.Ticks / 10);
        }
    }

    /// <summary>Writes one <c>phase NAME WALL_US CPU_US</c> line per mark, in the order they were taken.</summary>
    public void WriteTo(TextWriter writer)
    {
        lock (_gate)
        {
            for (var i = 0; i < _names.Count; i++)
            {
                writer.WriteLine("phase " + _names[i] + " " + _times[2 * i].ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + _times[(2 * i) + 1].ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }
}
