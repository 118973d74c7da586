using Premix.Tests.Infrastructure;
using Premix.Tests.Plans;

namespace Premix.Tests.Diagnostics;

/// <summary>
/// The marks build/start-phases.sh splits a start with (docs/performance.md, "What the maps cost at a generated-model start"),
/// in a process of its own (Premix.Tests.StartApp: start, one get by key): with <c>PREMIX_START_PHASES=1</c> every phase of
/// the start is marked once, in order (the CPU times ordered; the wall clock is not asserted, an NTP step may move it), on stderr at exit; without it nothing is written. A mark moved or lost would
/// otherwise make the script's spans silently wrong.
/// </summary>
public sealed class StartPhasesTests(Engine engine) : StartAppTest(engine)
{
    // The marks of a start without a generated model and without an assembly scan, in the order the start passes them.
    private static readonly string[] Marks = ["build", "configured-options", "maps", "configured", "entities", "validated", "provider-ready", "plans-checked", "filters-checked", "runtime", "database", "started"];

    [Test]
    public async Task With_PREMIX_START_PHASES_each_phase_is_marked_once_in_order()
    {
        var run = await RunAsync("1");
        var phases = run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("phase ", StringComparison.Ordinal))
            .Select(l => l.Split(' '))
            .ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.Everything);
            Assert.That(run.Output, Does.StartWith("1 first"), run.Everything);
            Assert.That(phases.Select(p => p[1]), Is.EqualTo(Marks), run.Errors);
            Assert.That(phases.Select(p => long.Parse(p[3], System.Globalization.CultureInfo.InvariantCulture)), Is.Ordered, "the process's CPU time, microseconds");
        }
    }

    [Test]
    public async Task Without_PREMIX_START_PHASES_nothing_is_written()
    {
        var run = await RunAsync(null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.Everything);
            Assert.That(run.Output, Does.StartWith("1 first"), run.Everything);
            Assert.That(run.Errors, Does.Not.Contain("phase "));
        }
    }

    private Task<ChildProcessResult> RunAsync(string? phases) => RunStartAppAsync("factory", ("PREMIX_START_PHASES", phases));
}
