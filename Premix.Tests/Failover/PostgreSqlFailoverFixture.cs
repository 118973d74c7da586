using Microsoft.Extensions.Logging;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Failover;

/// <summary>
/// A fixture on the PostgreSQL failover pair (<see cref="FailoverPair"/>): before each test, a fresh primary and synchronous
/// standby with the notes table (and <see cref="MoreTables"/>) on the primary; after it, the test's Premix is disposed. What a
/// <see cref="FailoverRun"/> did is printed and compared with what a server holds, through plain SQL. PostgreSQL only.
/// </summary>
public abstract class PostgreSqlFailoverFixture : FailoverFixture<FailoverPair>
{
    /// <summary>Statements creating more tables on the primary after each reset, beside the notes.</summary>
    protected virtual string MoreTables => "";

    private protected sealed override FailoverPair PairFromEnvironment() => FailoverPair.FromEnvironment();

    /// <inheritdoc />
    protected sealed override Task CreateTablesAsync() => Pair.ExecuteAsync(1, FailoverNote.CreateTable + MoreTables);

    /// <summary>Premix on <paramref name="connectionString"/> with the notes mapped, logging warnings to <see cref="FailoverFixture{TPair}.Logs"/>; disposed after the test.</summary>
    protected IPremix CreatePremix(string connectionString, Action<PremixOptionsBuilder>? configure = null) =>
        Keep(PremixFactory.Create(
            p =>
            {
                var options = p.UsePostgreSql(connectionString).AddModelConfiguration(new FailoverNoteMap());
                configure?.Invoke(options);
            },
            LoggerFactory.Create(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Warning))));

    /// <summary>How many retries the test's Premix logged.</summary>
    protected int RetriesLogged => Logs.Entries.Count(e => e.Id == PremixEventId.RetryScheduled);

    /// <summary>Prints what <paramref name="run"/> saw: the failover's times, the outcomes, the outages, the retries.</summary>
    internal void Print(FailoverRun run)
    {
        var units = run.Units;
        var writes = units.Select(u => (u.Outcome == FailoverRun.Committed, u.Ended)).ToList();
        var reads = run.Reads.Select(r => (r.Error is null, r.Ended)).ToList();
        var output = TestContext.Out;
        if (run.PromotedAt is { } promoted)
        {
            var afterPromotion = units.Where(u => u.Outcome == FailoverRun.Committed && u.Ended > promoted).Min(u => (TimeSpan?)u.Ended) - promoted;
            output.WriteLine($"failover began at {run.KilledAt.TotalSeconds:0.000} s, standby promoted at {promoted.TotalSeconds:0.000} s (promotion gap {(promoted - run.KilledAt).TotalMilliseconds:0} ms); "
                + $"first commit {Ms(afterPromotion)} after the promotion");
        }

        output.WriteLine($"units of work: {units.Count}; committed {units.Count(u => u.Outcome == FailoverRun.Committed)}, "
            + $"unknown {units.Count(u => u.Outcome == FailoverRun.Unknown)}, "
            + $"connection lost {units.Count(u => u.Outcome.StartsWith(FailoverRun.ConnectionLost, StringComparison.Ordinal))}, "
            + $"failed {units.Count(u => u.Outcome.StartsWith("failed", StringComparison.Ordinal))}");
        var took = units.Select(u => u.Took).Order().ToList();
        output.WriteLine($"write outage (first unit not committed to the first commit after it): {Ms(FailoverRun.Outage(writes))}; "
            + $"longest time without a commit: {FailoverRun.LongestWithoutSuccess(writes).TotalMilliseconds:0} ms; "
            + $"time per unit of work: median {Ms(took.Count > 0 ? took[took.Count / 2] : null)}, 99th percentile {Ms(took.Count > 0 ? took[took.Count * 99 / 100] : null)}, "
            + $"longest {Ms(took.Count > 0 ? took[^1] : null)}, {took.Count(t => t > TimeSpan.FromSeconds(1))} over 1 s");
        output.WriteLine($"reads: {reads.Count}; failed {reads.Count(r => !r.Item1)}; read outage (first failed read to the first read after it): {Ms(FailoverRun.Outage(reads))}; "
            + $"longest time without a read: {FailoverRun.LongestWithoutSuccess(reads).TotalMilliseconds:0} ms");
        output.WriteLine($"retries scheduled: {RetriesLogged}");
        foreach (var group in units.Where(u => u.Outcome != FailoverRun.Committed).GroupBy(u => u.Outcome).OrderByDescending(g => g.Count()).Take(8))
        {
            output.WriteLine($"  {group.Count()} x {group.Key}");
        }

        foreach (var group in run.Reads.Where(r => r.Error is not null).GroupBy(r => r.Error).OrderByDescending(g => g.Count()).Take(4))
        {
            output.WriteLine($"  {group.Count()} failed reads: {group.Key}");
        }

        static string Ms(TimeSpan? span) => span is { } s ? $"{s.TotalMilliseconds:0} ms" : "none";
    }

    /// <summary>
    /// Every reported outcome against what server <paramref name="server"/> (2, the promoted standby, by default) holds,
    /// through plain SQL: nothing reported committed missing, nothing stored twice, nothing reported failed stored, nothing
    /// stored that no unit wrote, and, after a promotion, commits on the promoted server. Returns the rows per reference.
    /// </summary>
    internal async Task<Dictionary<string, int>> AssertIntegrityAsync(FailoverRun run, int server = 2)
    {
        var units = run.Units;
        var notes = await Pair.ReferenceCountsAsync(server, "notes");
        var written = units.Select(u => u.Reference).ToHashSet(StringComparer.Ordinal);
        var committed = units.Where(u => u.Outcome == FailoverRun.Committed).ToList();
        var failed = units.Where(u => u.Outcome != FailoverRun.Committed && u.Outcome != FailoverRun.Unknown).ToList();
        var unknown = units.Where(u => u.Outcome == FailoverRun.Unknown).ToList();
        TestContext.Out.WriteLine($"on server {server}: {notes.Count} units' rows; of the {unknown.Count} unknown, {unknown.Count(u => notes.ContainsKey(u.Reference))} were saved");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(committed.Where(u => !notes.ContainsKey(u.Reference)).Select(u => u.Reference), Is.Empty, "lost: reported committed, not on the server");
            Assert.That(notes.Where(n => n.Value > 1).Select(n => n.Key), Is.Empty, "doubled: stored more than once");
            Assert.That(failed.Where(u => notes.ContainsKey(u.Reference)).Select(u => u.Reference), Is.Empty, "misreported: reported failed, yet stored");
            Assert.That(notes.Keys.Where(r => !written.Contains(r)), Is.Empty, "stored by no unit of work");
            if (run.PromotedAt is { } promoted)
            {
                Assert.That(committed.Count(u => u.Ended > promoted), Is.GreaterThan(0), "writes went on on the promoted standby");
            }
        }

        return notes;
    }

    /// <summary>
    /// With the default settings the retries span the failover: the only units of work not committed had their COMMIT in
    /// flight (or, when <paramref name="mixed"/>, a statement in flight in a transaction holding a raw write, which Premix
    /// does not replay), and every read was retried onto a server that answered.
    /// </summary>
    internal static void AssertOnlyCommitsInFlightFailed(FailoverRun run, bool mixed = false)
    {
        var notRetried = run.Units.Where(u => u.Outcome is not (FailoverRun.Committed or FailoverRun.Unknown)
            && !(mixed && u.Outcome.StartsWith(FailoverRun.ConnectionLost + ": ", StringComparison.Ordinal)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(notRetried.Select(u => u.Outcome).Distinct(), Is.Empty,
                mixed
                    ? "the only units of work not committed had their COMMIT in flight, or a statement in flight in a transaction holding a raw write (which Premix does not replay)"
                    : "the only units of work not committed had their COMMIT in flight");
            Assert.That(run.Reads.Where(r => r.Error is not null).Select(r => r.Error).Distinct(), Is.Empty, "every read was retried onto a server that answered");
        }
    }
}
