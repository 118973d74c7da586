using Microsoft.Extensions.Logging;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Failover;

/// <summary>
/// A PostgreSQL primary dies (<c>kill -9</c>) under 8 writers and 2 readers, and its synchronous standby is promoted a second
/// later, as an HA manager does; Premix reaches them through one multi-host connection string with
/// <c>Target Session Attributes=primary</c> and the default resilience settings. Every unit of work's reported outcome is
/// compared with what the promoted server holds, through plain SQL: nothing reported committed is missing, nothing is
/// stored twice, nothing reported failed is stored; and no unit of work fails that could have been retried safely: the
/// only ones not committed had their COMMIT in flight (or, with raw writes in their transaction, a statement). PostgreSQL
/// only: the failover pair is the test command's (<see cref="FailoverPair"/>). The figures go to the test output.
/// </summary>
[NonParallelizable]
public sealed class PostgreSqlFailoverTests
{
    private FailoverPair _pair = null!;
    private IPremix? _premix;
    private CapturingLoggerProvider _logs = null!;

    [SetUp]
    public async Task ResetThePairAsync()
    {
        _pair = FailoverPair.FromEnvironment();
        await _pair.ControlAsync("reset");
        await _pair.ExecuteAsync(1, FailoverNote.CreateTable + """
            CREATE TABLE stamps (id bigserial PRIMARY KEY, reference text NOT NULL);
            CREATE TABLE audit (reference text NOT NULL);
            """);
        _logs = new CapturingLoggerProvider();
        _premix = PremixFactory.Create(
            p => p.UsePostgreSql(_pair.ConnectionString).AddModelConfiguration(new FailoverNoteMap()).AddModelConfiguration(new StampMap()),
            LoggerFactory.Create(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Warning)));
    }

    [TearDown]
    public async Task DisposePremixAsync()
    {
        if (_premix is not null)
        {
            await _premix.DisposeAsync();
        }

        _logs.Dispose();
    }

    [Test]
    public async Task PostgreSql_failover_with_default_resilience_loses_doubles_and_misreports_nothing_and_fails_no_unit_of_work_that_could_be_retried()
    {
        var run = await RunAsync(async reference =>
        {
            await using var uow = _premix!.BeginUnitOfWork();
            uow.Repository<FailoverNote>().Add(new FailoverNote { Reference = reference, Writes = 1 });
            await uow.CommitAsync();
        });

        await AssertIntegrityAsync(run, mixed: false);
        AssertOnlyCommitsInFlightFailed(run, mixed: false);
    }

    [Test]
    public async Task PostgreSql_failover_with_VerifyCommitWith_loses_doubles_and_misreports_nothing_and_fails_no_unit_of_work_that_could_be_retried()
    {
        var run = await RunAsync(async reference =>
        {
            await using var uow = _premix!.BeginUnitOfWork();
            uow.Repository<FailoverNote>().Add(new FailoverNote { Reference = reference, Writes = 1 });
            uow.VerifyCommitWith(async (check, ct) => await check.Repository<FailoverNote>().Query().Where(n => n.Reference == reference).AnyAsync(ct));
            await uow.CommitAsync();
        });

        await AssertIntegrityAsync(run, mixed: false);
        AssertOnlyCommitsInFlightFailed(run, mixed: false);
    }

    [Test]
    public async Task PostgreSql_failover_of_units_of_work_mixing_a_read_a_raw_write_and_several_statements_keeps_each_whole_and_fails_none_that_could_be_retried()
    {
        var run = await RunAsync(async reference =>
        {
            await using var uow = _premix!.BeginUnitOfWork();
            var writes = await uow.Repository<FailoverNote>().Query().Where(n => n.Reference == reference).CountAsync(); // a read, retried
            await uow.Raw($"INSERT INTO audit (reference) VALUES ({reference})").ExecuteAsync(); // begins the transaction
            uow.Repository<FailoverNote>().Add(new FailoverNote { Reference = reference, Writes = (int)writes + 1 });
            uow.Repository<Stamp>().Add(new Stamp { Reference = reference });
            await uow.CommitAsync();
        });

        await AssertIntegrityAsync(run, mixed: true);
        AssertOnlyCommitsInFlightFailed(run, mixed: true);
    }

    // The run, with the readers reading what the writers wrote.
    private async Task<FailoverRun> RunAsync(Func<string, Task> unit)
    {
        var run = new FailoverRun();
        await run.RunAsync(_pair, unit, async () =>
        {
            await using var uow = _premix!.BeginUnitOfWork();
            await uow.Repository<FailoverNote>().Query().Where(n => n.Reference == "w0-100").AnyAsync();
        });
        Print(run);
        return run;
    }

    private void Print(FailoverRun run)
    {
        var units = run.Units;
        var writes = units.Select(u => (u.Outcome == FailoverRun.Committed, u.Ended)).ToList();
        var reads = run.Reads.Select(r => (r.Error is null, r.Ended)).ToList();
        var afterPromotion = units.Where(u => u.Outcome == FailoverRun.Committed && u.Ended > run.PromotedAt).Min(u => (TimeSpan?)u.Ended) - run.PromotedAt;
        var output = TestContext.Out;
        output.WriteLine($"primary killed at {run.KilledAt.TotalSeconds:0.000} s, standby promoted at {run.PromotedAt.TotalSeconds:0.000} s (promotion gap {(run.PromotedAt - run.KilledAt).TotalMilliseconds:0} ms)");
        output.WriteLine($"units of work: {units.Count}; committed {units.Count(u => u.Outcome == FailoverRun.Committed)}, "
            + $"unknown {units.Count(u => u.Outcome == FailoverRun.Unknown)}, "
            + $"connection lost {units.Count(u => u.Outcome.StartsWith(FailoverRun.ConnectionLost, StringComparison.Ordinal))}, "
            + $"failed {units.Count(u => u.Outcome.StartsWith("failed", StringComparison.Ordinal))}");
        output.WriteLine($"write outage (first unit not committed to the first commit after it): {Ms(FailoverRun.Outage(writes))}; "
            + $"longest time without a commit: {FailoverRun.LongestWithoutSuccess(writes).TotalMilliseconds:0} ms; first commit {Ms(afterPromotion)} after the promotion");
        output.WriteLine($"reads: {reads.Count}; failed {reads.Count(r => !r.Item1)}; read outage (first failed read to the first read after it): {Ms(FailoverRun.Outage(reads))}; "
            + $"longest time without a read: {FailoverRun.LongestWithoutSuccess(reads).TotalMilliseconds:0} ms");
        output.WriteLine($"retries scheduled: {_logs.Entries.Count(e => e.Id == PremixEventId.RetryScheduled)}");
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

    // Every reported outcome against what the promoted server holds, through plain SQL.
    private async Task AssertIntegrityAsync(FailoverRun run, bool mixed)
    {
        var units = run.Units;
        var notes = await _pair.ReferenceCountsAsync(2, "notes");
        var written = units.Select(u => u.Reference).ToHashSet(StringComparer.Ordinal);
        var committed = units.Where(u => u.Outcome == FailoverRun.Committed).ToList();
        var failed = units.Where(u => u.Outcome != FailoverRun.Committed && u.Outcome != FailoverRun.Unknown).ToList();
        var unknown = units.Where(u => u.Outcome == FailoverRun.Unknown).ToList();
        TestContext.Out.WriteLine($"on the promoted server: {notes.Count} units' rows; of the {unknown.Count} unknown, {unknown.Count(u => notes.ContainsKey(u.Reference))} were saved");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(committed.Where(u => !notes.ContainsKey(u.Reference)).Select(u => u.Reference), Is.Empty, "lost: reported committed, not on the promoted server");
            Assert.That(notes.Where(n => n.Value > 1).Select(n => n.Key), Is.Empty, "doubled: stored more than once");
            Assert.That(failed.Where(u => notes.ContainsKey(u.Reference)).Select(u => u.Reference), Is.Empty, "misreported: reported failed, yet stored");
            Assert.That(notes.Keys.Where(r => !written.Contains(r)), Is.Empty, "stored by no unit of work");
            Assert.That(committed.Count(u => u.Ended > run.PromotedAt), Is.GreaterThan(0), "writes went on on the promoted standby");
            if (mixed)
            {
                // A unit of work is whole or absent: its raw write, its two entities, all or nothing.
                var stamps = await _pair.ReferenceCountsAsync(2, "stamps");
                var audit = await _pair.ReferenceCountsAsync(2, "audit");
                Assert.That(written.Where(r => notes.GetValueOrDefault(r) != stamps.GetValueOrDefault(r) || notes.GetValueOrDefault(r) != audit.GetValueOrDefault(r)), Is.Empty,
                    "each unit of work's raw write and entities are stored together or not at all");
            }
        }
    }

    // With the default settings, the retries span the promotion gap: what is left is what no retry could settle.
    private static void AssertOnlyCommitsInFlightFailed(FailoverRun run, bool mixed)
    {
        // In a transaction holding a raw write, a write statement (or COMMIT) that lost its connection is not replayed by
        // Premix: its transaction, raw write included, died with the server; the application may run the unit again.
        var notRetried = run.Units.Where(u => u.Outcome is not (FailoverRun.Committed or FailoverRun.Unknown)
            && !(mixed && u.Outcome.StartsWith(FailoverRun.ConnectionLost + ": ", StringComparison.Ordinal)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(notRetried.Select(u => u.Outcome).Distinct(), Is.Empty,
                mixed
                    ? "the only units of work not committed had their COMMIT in flight, or a statement in flight in a transaction holding a raw write (which Premix does not replay)"
                    : "the only units of work not committed had their COMMIT in flight");
            Assert.That(run.Reads.Where(r => r.Error is not null).Select(r => r.Error).Distinct(), Is.Empty, "every read was retried onto the promoted standby");
        }
    }

    public sealed class Stamp
    {
        public long Id { get; set; }

        public string Reference { get; set; } = "";
    }

    private sealed class StampMap : ModelConfiguration<Stamp>
    {
        public override void Configure(EntityBuilder<Stamp> e)
        {
            e.ToTable("stamps");
            e.Property(s => s.Id).HasColumnName("id");
            e.Property(s => s.Reference).HasColumnName("reference");
        }
    }
}
