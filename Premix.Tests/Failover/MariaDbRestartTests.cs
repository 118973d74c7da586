using Microsoft.Extensions.Logging;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Failover;

/// <summary>
/// A MariaDB server killed (SIGKILL, as a crash) under 8 writers and started again at once, as a restart, or a failover
/// through MaxScale or a moved address, looks to the application: every unit of work Premix reports committed is on the
/// restarted server, none is there twice, none reported failed is there, and the default resilience settings ride out
/// the restart, so the only units of work not committed are those whose COMMIT was in flight at the kill. MariaDB only:
/// the server is one of its own (<see cref="RestartableMariaDb"/>), which these tests kill.
/// </summary>
[NonParallelizable] // the fixtures that kill the restartable server take turns, and nothing else runs meanwhile
public sealed class MariaDbRestartTests
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan KillAt = TimeSpan.FromSeconds(4);

    // The writers go on at least this long after the server is back, however long its start took on a loaded machine.
    private static readonly TimeSpan AfterRestart = TimeSpan.FromSeconds(5);

    private RestartableMariaDb _server = null!;
    private CapturingLoggerProvider _logs = null!;
    private IPremix? _premix;
    private bool _killed;

    [SetUp]
    public async Task CreateTableAsync()
    {
        _server = await RestartableMariaDb.CreateAsync();
        await _server.ExecuteAsync("CREATE TABLE notes (Id BIGINT AUTO_INCREMENT PRIMARY KEY, Reference VARCHAR(40) NOT NULL, KEY (Reference))");
        _logs = new CapturingLoggerProvider();
    }

    [TearDown]
    public async Task StartTheServerAndDropAsync()
    {
        if (_premix is not null)
        {
            await _premix.DisposeAsync();
            _premix = null;
        }

        if (_killed)
        {
            await _server.StartAsync(); // a test that failed between the kill and the start
        }

        await _server.DropAsync();
        _logs.Dispose();
    }

    [Test]
    public async Task MariaDb_killed_and_restarted_under_8_writers_loses_doubles_and_misreports_nothing_and_the_default_retries_fail_no_unit_of_work()
    {
        var comparison = await RestartUnderWritersAsync(verify: false);

        using (Assert.EnterMultipleScope())
        {
            comparison.AssertNothingLostDoubledOrMisreported("the restarted server");
            Assert.That(comparison.Failed.Select(f => f.Describe()), Is.Empty,
                "with the default resilience settings, only a unit of work whose COMMIT was in flight is not committed (its outcome unknown)");
        }
    }

    [Test]
    public async Task MariaDb_killed_and_restarted_under_8_writers_with_VerifyCommitWith_loses_doubles_and_misreports_nothing_and_leaves_no_outcome_unknown()
    {
        var comparison = await RestartUnderWritersAsync(verify: true);

        using (Assert.EnterMultipleScope())
        {
            comparison.AssertNothingLostDoubledOrMisreported("the restarted server");
            Assert.That(comparison.Failed.Select(f => f.Describe()), Is.Empty, "no unit of work failed");
            Assert.That(comparison.Unknown, Is.Zero, "each COMMIT in flight at the kill was resolved by its check, once the server was back");
        }
    }

    // 8 writers for 15 s (at least 5 s after the restart), the server killed at 4 s and started again at once; prints the
    // figures and the errors retried.
    private async Task<OutcomeLedger.Comparison> RestartUnderWritersAsync(bool verify)
    {
        _premix = PremixFactory.Create(
            p => p.UseMySql(_server.ConnectionString).AddModelConfiguration(new ReferenceNote.Map()),
            LoggerFactory.Create(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Warning)));
        var ledger = new OutcomeLedger(_premix, 8, (uow, reference) =>
        {
            uow.Repository<ReferenceNote>().Add(new ReferenceNote { Reference = reference });
            if (verify)
            {
                uow.VerifyCommitWith(async (check, cancellationToken) =>
                    await check.Repository<ReferenceNote>().Query().Where(n => n.Reference == reference).AnyAsync(cancellationToken));
            }
        });

        await Task.Delay(KillAt);
        var committedBeforeKill = ledger.Committed;
        var killedAt = ledger.Elapsed;
        await _server.KillAsync();
        _killed = true;
        await _server.StartAsync();
        _killed = false;
        var restartedAt = ledger.Elapsed;
        var stopAt = Run > restartedAt + AfterRestart ? Run : restartedAt + AfterRestart;
        if (stopAt - ledger.Elapsed is { Ticks: > 0 } rest)
        {
            await Task.Delay(rest);
        }
        await ledger.StopAsync();

        var comparison = ledger.Compare(await _server.ColumnAsync("SELECT Reference FROM notes"));
        TestContext.Out.WriteLine($"{(verify ? "With VerifyCommitWith" : "Default settings")}: killed at {killedAt.TotalSeconds:0.0} s after {committedBeforeKill} commits, "
            + $"accepting connections again {(restartedAt - killedAt).TotalMilliseconds:0} ms later; {comparison.Figures(killedAt)}");
        foreach (var retried in _logs.Entries.Where(e => e.Id == PremixEventId.RetryScheduled || e.Id == PremixEventId.CommitOutcomeUnknown)
            .GroupBy(e => $"{e.Id.Name}: {FailoverUnderWriters.Shape(e.Message)}").OrderByDescending(g => g.Count()))
        {
            TestContext.Out.WriteLine($"  {retried.Count()} × {retried.Key}");
        }

        Assert.That(comparison.Outcomes.Count(o => o.Kind == OutcomeLedger.OutcomeKind.Committed && o.Began > restartedAt), Is.GreaterThan(0),
            "units of work begun after the restart commit");
        return comparison;
    }
}
