using Npgsql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Failover;

/// <summary>
/// The failover of <see cref="PostgreSqlFailoverTests"/> in other shapes, shorter (8 s, the primary killed at 3 s), with the
/// same checks against what the server holds (0 lost, 0 doubled, 0 misreported) and the default resilience settings:
/// writers on the synchronous API; writers that reach the standby first and meet its 25006 until it is promoted; a first
/// host that accepts connections and never answers; a primary whose address goes silent when it dies instead of refusing.
/// PostgreSQL only: the failover pair is the test command's. The figures go to the test output.
/// </summary>
public sealed class PostgreSqlFailoverShapesTests : PostgreSqlFailoverFixture
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan KillAt = TimeSpan.FromSeconds(3);

    [Test]
    public async Task PostgreSql_failover_under_writers_on_the_synchronous_API_loses_doubles_and_misreports_nothing_and_fails_none_that_could_be_retried()
    {
        var premix = CreatePremix(Pair.ConnectionString);
        var run = new FailoverRun(Short, KillAt);

        await run.RunAsync(Pair, reference =>
        {
            using var uow = premix.BeginUnitOfWork();
            uow.Repository<FailoverNote>().Add(new FailoverNote { Reference = reference, Writes = 1 });
            uow.Commit();
            return Task.CompletedTask;
        }, () =>
        {
            using var uow = premix.BeginUnitOfWork();
            uow.Repository<FailoverNote>().Find(1L);
            return Task.CompletedTask;
        });

        Print(run);
        await AssertIntegrityAsync(run);
        AssertOnlyCommitsInFlightFailed(run);
    }

    [Test]
    public async Task PostgreSql_writers_reaching_the_standby_first_are_refused_with_25006_until_its_promotion_and_none_fails_that_could_be_retried()
    {
        // The primary dies before the writers start; the standby, listed first and taken for any session, refuses every
        // write as read-only (25006, in_hot_standby on) until it is promoted a second later.
        await Pair.ControlAsync("kill-primary");
        var premix = CreatePremix(new NpgsqlConnectionStringBuilder(Pair.ConnectionString) { Host = $"{Pair.HostOf(2)},{Pair.HostOf(1)}", TargetSessionAttributes = "any" }.ConnectionString);
        var sessions = await Pair.SessionsAsync(2);
        var run = new FailoverRun(Short, killAt: TimeSpan.Zero);

        await run.RunAsync(Pair, reference => CommitOneAsync(premix, reference), () => ReadOneAsync(premix), kill: () => Task.CompletedTask);

        TestContext.Out.WriteLine($"the primary was killed before the writers started; sessions the standby (then promoted) began meanwhile: {await SettledSessionsAsync(2) - sessions}; "
            + $"retries after a 25006: {Logs.Entries.Count(e => e.Id == PremixEventId.RetryScheduled && e.Message.Contains("read-only transaction", StringComparison.Ordinal))}");
        Print(run);
        await AssertIntegrityAsync(run);
        AssertOnlyCommitsInFlightFailed(run);
        Assert.That(Logs.Entries.Where(e => e.Id == PremixEventId.RetryScheduled).Select(e => e.Message), Has.Some.Contains("read-only transaction"),
            "the standby refused writes with 25006, and they were retried");
    }

    [Test]
    public async Task PostgreSql_a_first_host_that_accepts_connections_and_never_answers_leaves_writers_and_readers_working_on_the_second()
    {
        // The first host takes the TCP connection and answers nothing (a hung machine, or an address whose traffic is
        // dropped past the handshake); the primary is the second host. Timeout=2 (the pair's) bounds each look at the first.
        var (standbyHost, standbyPort) = Pair.Address(2);
        await using var blackhole = new TcpRelay(standbyHost, standbyPort) { Silent = true };
        var premix = CreatePremix(new NpgsqlConnectionStringBuilder(Pair.ConnectionString) { Host = $"127.0.0.1:{blackhole.Port},{Pair.HostOf(1)}" }.ConnectionString);
        var run = new FailoverRun(TimeSpan.FromSeconds(4), killAt: TimeSpan.Zero); // about 16 units at 2 s each

        await run.RunAsync(Pair, reference => CommitOneAsync(premix, reference), () => ReadOneAsync(premix), kill: () => Task.CompletedTask, promote: false);

        Print(run);
        await AssertIntegrityAsync(run, server: 1);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Units.Where(u => u.Outcome != FailoverRun.Committed).Select(u => u.Outcome).Distinct(), Is.Empty, "every unit of work committed on the second host");
            Assert.That(run.Reads.Where(r => r.Error is not null).Select(r => r.Error).Distinct(), Is.Empty, "every read was answered by the second host");
        }
    }

    [Test]
    public async Task PostgreSql_failover_where_the_dead_primarys_address_goes_silent_loses_doubles_and_misreports_nothing_and_fails_none_that_could_be_retried()
    {
        // The primary is reached through an address that, when it dies, neither refuses nor closes: open connections hear
        // nothing more and new ones are never answered, as when a machine vanishes from the network. Timeout=2 bounds
        // each look at it, Command Timeout=2 a statement that was in flight (which then waits Npgsql's Cancellation
        // Timeout too). A writer whose statement hung at the kill takes up to ~10 s to come back, so the run ends when every
        // writer has committed after the promotion, not at a fixed time; the deadline (the kill + 30 s) is a failure.
        var (primaryHost, primaryPort) = Pair.Address(1);
        await using var address = new TcpRelay(primaryHost, primaryPort);
        var premix = CreatePremix(new NpgsqlConnectionStringBuilder(Pair.ConnectionString) { Host = $"127.0.0.1:{address.Port},{Pair.HostOf(2)}", CommandTimeout = 2 }.ConnectionString);
        var run = new FailoverRun(KillAt + TimeSpan.FromSeconds(30), KillAt, untilRecovered: true);

        await run.RunAsync(Pair, reference => CommitOneAsync(premix, reference), () => ReadOneAsync(premix), kill: async () =>
        {
            address.Silent = true;
            await Pair.ControlAsync("kill-primary");
        });

        Print(run);
        Assert.That(run.DeadlineReached, Is.False, "every writer committed after the promotion before the deadline (the kill + 30 s)");
        await AssertIntegrityAsync(run);
        AssertOnlyCommitsInFlightFailed(run);
    }

    // pg_stat_database.sessions of a server once it stops moving: backends report their sessions within a second, so it
    // is read every 100 ms until two readings agree (at most a second), rather than after a fixed wait.
    private async Task<long> SettledSessionsAsync(int server)
    {
        var last = await Pair.SessionsAsync(server);
        for (var i = 0; i < 10; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            var now = await Pair.SessionsAsync(server);
            if (now == last)
            {
                return now;
            }

            last = now;
        }

        return last;
    }

    // A writer's unit of work: one note, committed.
    private static async Task CommitOneAsync(IPremix premix, string reference)
    {
        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<FailoverNote>().Add(new FailoverNote { Reference = reference, Writes = 1 });
        await uow.CommitAsync();
    }

    // A reader's read: a note by key.
    private static async Task ReadOneAsync(IPremix premix)
    {
        await using var uow = premix.BeginUnitOfWork();
        await uow.Repository<FailoverNote>().FindAsync(1L);
    }
}
