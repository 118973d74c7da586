namespace Premix.Mapping;

/// <summary>
/// Marks of where a start is, for build/start-phases.sh (docs/performance.md): with the environment variable
/// <c>PREMIX_START_PHASES=1</c>, each <see cref="Mark"/> records the wall clock (microseconds since 1970, as the script's
/// <c>EPOCHREALTIME</c>) and the process's CPU time so far, and at exit one line per mark goes to stderr:
/// <c>phase NAME WALL_US CPU_US</c>. Without it a mark reads one static field and returns.
/// </summary>
/// <remarks>
/// Lines are written at exit, not at the mark, so that no phase pays for the console; the marks are taken on the thread
/// that starts Premix.
/// </remarks>
internal static class StartPhases
{
    private static readonly bool On = Environment.GetEnvironmentVariable("PREMIX_START_PHASES") == "1";
    private static List<string>? _names; // made only when on, and no list over a value tuple: nothing for the JIT either way
    private static List<long>? _times; // wall, CPU, wall, CPU, …

    public static void Mark(string name)
    {
        if (!On)
        {
            return;
        }

        var wall = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
        var cpu = Environment.CpuUsage.TotalTime.Ticks / 10;
        if (_names is null)
        {
            _names = [];
            _times = [];
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                for (var i = 0; i < _names.Count; i++)
                {
                    Console.Error.WriteLine("phase " + _names[i] + " " + _times[2 * i].ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + _times[(2 * i) + 1].ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            };
        }

        _names.Add(name);
        _times!.Add(wall);
        _times.Add(cpu);
    }
}
