using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Premix.Providers;
using Premix.Providers.MySql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Galera;

/// <summary>
/// Two nodes of a multi-primary Galera cluster take writes to the same row at once. Galera certifies each transaction
/// at COMMIT against what the cluster committed meanwhile; the loser gets error 1213 and nothing of it was applied on
/// any node, so Premix replays its unit of work as a whole. These run only on the cluster the test command starts.
/// </summary>
[NonParallelizable]
public sealed class GaleraConflictTests
{
    private GaleraCluster _cluster = null!;
    private CapturingLoggerProvider _logs = null!;
    private readonly List<IPremix> _premixes = [];

    [SetUp]
    public async Task CreateCountersAsync()
    {
        _cluster = await GaleraCluster.CreateAsync();
        _logs = new CapturingLoggerProvider();
        await _cluster.ExecuteAsync(1, "CREATE TABLE counters (Id BIGINT AUTO_INCREMENT PRIMARY KEY, Name VARCHAR(50) NOT NULL, Value INT NOT NULL, Version INT NOT NULL)");
        await _cluster.ExecuteAsync(1, "CREATE TABLE unguarded_counters (Id BIGINT AUTO_INCREMENT PRIMARY KEY, Value INT NOT NULL)");
        await _cluster.ExecuteAsync(1, "INSERT INTO counters (Id, Name, Value, Version) VALUES (1, 'shared', 0, 1)");
        await _cluster.ExecuteAsync(1, "INSERT INTO unguarded_counters (Id, Value) VALUES (1, 0)");
    }

    [TearDown]
    public async Task DropAsync()
    {
        foreach (var premix in _premixes)
        {
            await premix.DisposeAsync();
        }

        _premixes.Clear();
        _logs.Dispose();
        await _cluster.DropAsync();
    }

    [Test]
    public async Task Two_units_of_work_updating_one_versioned_row_on_two_nodes_at_once_leave_one_winner_per_round_and_the_loser_is_replayed_or_stale()
    {
        var nodes = new[] { Premix(1), Premix(2) };
        const int Rounds = 40;
        int replayedLosers = 0, staleLosers = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var retriesBefore = CertificationReplays();
            await using var first = nodes[0].BeginUnitOfWork();
            await using var second = nodes[1].BeginUnitOfWork();
            (await first.Repository<Counter>().GetAsync(1L)).Value++;
            (await second.Repository<Counter>().GetAsync(1L)).Value++;

            var outcomes = await Task.WhenAll(Outcome(first.CommitAsync()), Outcome(second.CommitAsync()));

            Assert.That(outcomes.Count(o => o is null), Is.EqualTo(1), $"round {round}: exactly one commit wins ({string.Join("; ", outcomes.Select(o => o?.Message ?? "won"))})");
            Assert.That(outcomes.Single(o => o is not null), Is.InstanceOf<ConcurrencyException>(), "the loser is told its row changed");
            if (CertificationReplays() > retriesBefore)
            {
                replayedLosers++;
            }
            else
            {
                staleLosers++;
            }
        }

        TestContext.Out.WriteLine($"{Rounds} rounds: {replayedLosers} losers failed Galera's certification at COMMIT and were replayed (the replay found the version moved), {staleLosers} found it moved at once");
        Assert.That((await _cluster.ScalarAsync<int>(3, "SELECT Value FROM counters WHERE Id = 1"), await _cluster.ScalarAsync<int>(3, "SELECT Version FROM counters WHERE Id = 1")),
            Is.EqualTo((Rounds, Rounds + 1)), "one increment per round, seen on the third node");
        Assert.That(replayedLosers, Is.Positive, "some rounds were decided by certification, not by the version check alone");
    }

    [Test]
    public async Task Eight_writers_on_three_nodes_incrementing_one_versioned_row_end_with_the_exact_count()
    {
        const int Writers = 8, Increments = 200;
        var premixes = Enumerable.Range(1, 3).Select(Premix).ToArray();
        var stale = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var premix = premixes[w % 3];
            for (var done = 0; done < Increments;)
            {
                await using var uow = premix.BeginUnitOfWork();
                (await uow.Repository<Counter>().GetAsync(1L)).Value++;
                try
                {
                    await uow.CommitAsync();
                    done++;
                }
                catch (ConcurrencyException)
                {
                    Interlocked.Increment(ref stale); // another writer won this version: read again
                }
            }
        })));

        TestContext.Out.WriteLine($"{Writers} writers x {Increments} increments on 3 nodes in {clock.Elapsed.TotalSeconds:0.0} s: "
            + $"{CertificationReplays()} commits failed certification and were replayed, {stale} found the version moved; "
            + $"cluster certification failures {await _cluster.StatusAsync(1, "wsrep_local_cert_failures")}/{await _cluster.StatusAsync(2, "wsrep_local_cert_failures")}/{await _cluster.StatusAsync(3, "wsrep_local_cert_failures")} (cumulative per node)");
        for (var node = 1; node <= 3; node++)
        {
            Assert.That(await _cluster.ScalarAsync<int>(node, "SELECT Value FROM counters WHERE Id = 1"), Is.EqualTo(Writers * Increments), $"node {node}");
        }
    }

    [Test]
    public async Task Eight_writers_on_three_nodes_adding_one_to_an_unversioned_counter_in_the_database_end_with_the_exact_count_as_every_refused_commit_was_applied_nowhere()
    {
        const int Writers = 8, Increments = 200;
        var premixes = Enumerable.Range(1, 3).Select(Premix).ToArray();
        var refused = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var premix = premixes[w % 3];
            for (var done = 0; done < Increments;)
            {
                await using var uow = premix.BeginUnitOfWork();
                try
                {
                    // UPDATE unguarded_counters SET Value = Value + 1 WHERE Id = 1, in the unit of work's transaction.
                    await uow.Repository<UnguardedCounter>().Query().Where(c => c.Id == 1).UpdateAllAsync(s => s.Set(c => c.Value, c => c.Value + 1));
                    await uow.CommitAsync();
                    done++;
                }
                catch (DatabaseCommandException e) when (e.IsTransient)
                {
                    // Refused by certification (or aborted by another node's write): applied nowhere, so the unit of work
                    // runs again. Premix does not replay this one itself: the UPDATE already ran in its transaction.
                    Interlocked.Increment(ref refused);
                }
            }
        })));

        TestContext.Out.WriteLine($"{Writers} writers x {Increments} increments (UPDATE ... SET Value = Value + 1) on 3 nodes in {clock.Elapsed.TotalSeconds:0.0} s: "
            + $"{refused} units of work refused with error 1213 and run again");
        for (var node = 1; node <= 3; node++)
        {
            Assert.That(await _cluster.ScalarAsync<int>(node, "SELECT Value FROM unguarded_counters WHERE Id = 1"), Is.EqualTo(Writers * Increments), $"node {node}: no refused commit was applied");
        }

        Assert.That(refused, Is.Positive, "writers on different nodes did collide");
    }

    private IPremix Premix(int node)
    {
        var premix = PremixFactory.Create(
            p => p.UseMySql(_cluster.Node(node)).AddModelConfiguration(new CounterMap()).AddModelConfiguration(new UnguardedCounterMap())
                .ConfigureResilience(r => r.MaxRetries = 10),
            LoggerFactory.Create(logging => logging.AddProvider(_logs)));
        _premixes.Add(premix);
        return premix;
    }

    // Commits Premix ran again after the cluster refused them with a certification conflict (error 1213: "Deadlock found…"
    // or "WSREP detected deadlock/conflict…"), not after any other transient error.
    private int CertificationReplays() =>
        _logs.Entries.Count(e => e.Id == PremixEventId.RetryScheduled && e.Message.Contains("commit", StringComparison.Ordinal)
            && e.Message.Contains("deadlock", StringComparison.OrdinalIgnoreCase));

    private static async Task<Exception?> Outcome(Task commit)
    {
        try
        {
            await commit;
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
