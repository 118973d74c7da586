namespace Premix.ColdStart;

/// <summary>
/// The program's own marks for build/start-phases.sh, in the format of Premix's (Premix.Diagnostics.StartPhases, in Premix.Mapping):
/// with <c>PREMIX_START_PHASES=1</c>, <c>phase NAME WALL_US CPU_US</c> lines on stderr at exit. Without it, one field read.
/// </summary>
internal static class Phases
{
    private static readonly bool On = Environment.GetEnvironmentVariable("PREMIX_START_PHASES") == "1";
    private static List<string>? names; // made only when on, and no list over a value tuple: nothing for the JIT either way
    private static List<long>? times; // wall, CPU, wall, CPU, …

    public static void Mark(string name)
    {
        if (On)
        {
            (names ??= []).Add(name);
            (times ??= []).Add((DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10);
            times.Add(Environment.CpuUsage.TotalTime.Ticks / 10);
        }
    }

    /// <summary>Writes the marks (called once, at the end of the program; Premix writes its own at exit).</summary>
    public static void Write()
    {
        for (var i = 0; i < (names?.Count ?? 0); i++)
        {
            Console.Error.WriteLine("phase " + names![i] + " " + times![2 * i].ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + times[(2 * i) + 1].ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
