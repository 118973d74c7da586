using Premix.Diagnostics;

namespace Premix.Tests.Diagnostics;

/// <summary>
/// The log behind <c>PREMIX_START_PHASES</c> (build/start-phases.sh): marks taken on two threads at once, as two starts in one
/// process take them, are all kept, each name with its own wall and CPU times. Without its lock two threads' adds to the
/// lists lose entries (or throw), and a name lost while its times survive shifts every later line's times.
/// </summary>
public sealed class StartPhaseLogTests
{
    private const int MarksPerThread = 100_000; // 20,000 a thread did not show the race on this machine under load; 100,000 did, 3 runs of 3

    [Test]
    public void Marks_taken_on_two_threads_at_once_are_all_written_each_with_its_own_times()
    {
        var log = new StartPhaseLog();
        using var together = new Barrier(2);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = new[] { "first", "second" }.Select(name => new Thread(() =>
        {
            together.SignalAndWait();
            try
            {
                for (var i = 0; i < MarksPerThread; i++)
                {
                    log.Mark(name);
                }
            }
            catch (Exception e) // without the lock a list may throw mid-resize: reported here, not as a crash of the test host
            {
                failures.Enqueue(e);
            }
        })).ToList();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        using var written = new StringWriter();
        log.WriteTo(written);
        var lines = written.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split(' ')).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines, Has.Count.EqualTo(2 * MarksPerThread));
            Assert.That(lines.Count(l => l is ["phase", "first", _, _]), Is.EqualTo(MarksPerThread));
            Assert.That(lines.Count(l => l is ["phase", "second", _, _]), Is.EqualTo(MarksPerThread));
            Assert.That(lines.All(l => l.Length == 4 && long.TryParse(l[2], out var wall) && wall > 0 && long.TryParse(l[3], out var cpu) && cpu > 0), Is.True, "each line: phase NAME WALL_US CPU_US");
            Assert.That(failures, Is.Empty, "a mark threw");
        }
    }
}
