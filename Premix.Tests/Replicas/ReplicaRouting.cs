using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Replicas;

/// <summary>
/// What the read-replica tests of both engines share: write-then-read pairs carrying the token as text (also while the
/// replica's replay is paused at random), a replica that loses its connection mid-read, one that takes connections but
/// never answers, and one that is down.
/// </summary>
internal static class ReplicaRouting
{
    // Each pair: commit a new row, carry the token as text into a fresh unit of work, read the row back, compare.
    public static async Task<int> WriteThenReadAsync(IPremix premix, int worker, int pairs)
    {
        var stale = 0;
        for (var i = 0; i < pairs; i++)
        {
            var written = new Customer { Name = "w" + worker, Visits = i };
            string token;
            await using (var writer = premix.BeginUnitOfWork())
            {
                writer.Repository<Customer>().Add(written);
                await writer.CommitAsync();
                token = writer.ReadYourWrites!.ToString();
            }

            await using var reader = premix.BeginUnitOfWork();
            reader.ReadAfter(ReadYourWritesToken.Parse(token));
            var read = await reader.Repository<Customer>().FindAsync(written.Id);
            if (read is null || read.Visits != i || read.Name != written.Name)
            {
                stale++;
            }
        }

        return stale;
    }

    /// <summary>
    /// 10,000 write-then-read pairs (4 workers) while <paramref name="pauseAtRandom"/> pauses and resumes the replica's
    /// replay at random (<paramref name="pausing"/> says how, for the printed figure): no read is stale, and some were
    /// served by the replica and some sent to the primary because it was behind the token.
    /// </summary>
    public static async Task AssertNoStaleReadWhileReplayPausesAtRandomAsync(IPremix premix, string database, Func<CancellationToken, Task<int>> pauseAtRandom, string pausing)
    {
        const int Workers = 4;
        const int PairsPerWorker = 2500;
        using var routes = new RouteCounter(database);
        using var stop = new CancellationTokenSource();
        var pauser = pauseAtRandom(stop.Token);
        var clock = Stopwatch.StartNew();
        var stale = await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => WriteThenReadAsync(premix, w, PairsPerWorker)));
        clock.Stop();
        await stop.CancelAsync();
        var pauses = await pauser;

        var pairs = Workers * PairsPerWorker;
        TestContext.Out.WriteLine($"{pairs} write-then-read pairs in {clock.Elapsed.TotalSeconds:0.0} s with {pausing} {pauses} times at random: "
            + $"{stale.Sum()} stale reads; {routes.Replica} served by the replica ({100.0 * routes.Replica / pairs:0.0} %), {routes.Primary} by the primary");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stale.Sum(), Is.Zero, "stale reads");
            Assert.That(routes.Replica + routes.Primary, Is.EqualTo(pairs), "every read was routed");
            Assert.That(routes.Replica, Is.GreaterThan(0), "the replica served some reads: the test would prove nothing if all went to the primary");
            Assert.That(routes.Reasons, Does.Contain("primary: replica behind the token"), $"with {pausing}, the replica fell behind tokens, and those reads went to the primary");
        }
    }

    /// <summary>
    /// Commits a customer through <paramref name="premix"/> (keeping its token), waits for the replica to apply it, stops the
    /// replica applying with <paramref name="pause"/> and commits a second customer on the primary with
    /// <paramref name="writeBehindTheReplica"/> (received, not applied; it also waits for the lag the engine's check sees):
    /// a read carrying the token is served by the replica (it has the token's commit, not the later one), a read without a
    /// token by the primary (the replica lags). <paramref name="resume"/> runs at the end whatever happens.
    /// </summary>
    public static async Task AssertTokenMetByALaggingReplicaAndAReadWithoutOneOnThePrimaryAsync(
        IPremix premix, string database, Func<Task> replicaCaughtUp, Func<Task> pause, Func<Task> writeBehindTheReplica, Func<Task> resume)
    {
        ReadYourWritesToken token;
        await using (var writer = premix.BeginUnitOfWork())
        {
            writer.Repository<Customer>().Add(new Customer { Name = "Ada" });
            await writer.CommitAsync();
            token = writer.ReadYourWrites!;
        }

        await replicaCaughtUp();
        try
        {
            await pause();
            await writeBehindTheReplica();
            using var routes = new RouteCounter(database);

            await using (var reader = premix.BeginUnitOfWork())
            {
                reader.ReadAfter(token);
                Assert.That(await reader.Repository<Customer>().Query().CountAsync(), Is.EqualTo(1), "the replica has the token's commit, not the later one");
            }

            await using (var reader = premix.BeginUnitOfWork())
            {
                Assert.That(await reader.Repository<Customer>().Query().CountAsync(), Is.EqualTo(2), "the read without a token saw the primary");
            }

            Assert.That(routes.Reasons, Is.EqualTo(new[] { "replica: token met", "primary: replica lagging" }));
        }
        finally
        {
            await resume();
        }
    }

    /// <summary>
    /// Runs <paramref name="pause"/> and <paramref name="resume"/> on <paramref name="replica"/> (an admin connection) in
    /// turn, 1–30 ms apart, until <paramref name="stop"/>; resumes at the end whatever happens. Returns how many pauses.
    /// </summary>
    public static async Task<int> PauseAtRandomAsync(DbConnection replica, string pause, string resume, CancellationToken stop)
    {
        await using (replica)
        {
            await replica.OpenAsync(CancellationToken.None);
            var random = new Random(18);
            var pauses = 0;
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await Task.Delay(random.Next(1, 30), CancellationToken.None);
                    await replica.ExecuteAsync(pause);
                    pauses++;
                    await Task.Delay(random.Next(1, 30), CancellationToken.None);
                    await replica.ExecuteAsync(resume);
                }
            }
            finally
            {
                await replica.ExecuteAsync(resume);
            }

            return pauses;
        }
    }

    /// <summary>
    /// Commits a customer, then loses the replica's answer to a read (through <paramref name="relay"/>, which cuts the
    /// connection): the read is served by the primary, the replica is skipped, and so the next read goes to the primary
    /// too (<paramref name="servedByPrimary"/> says where a read-only statement ran).
    /// </summary>
    public static async Task AssertReadThatLosesItsConnectionIsServedByThePrimaryAsync(IPremix premix, TcpRelay relay, string database, string customers, Func<Task> replicaCaughtUp, Func<IPremix, Task<bool>> servedByPrimary)
    {
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<Customer>().Add(new Customer { Name = "Ada" });
            await uow.CommitAsync();
        }

        await replicaCaughtUp();
        using var routes = new RouteCounter(database);
        relay.LoseAnswerTo("premix_mid_read");

        var sql = $"SELECT COUNT(*) AS premix_mid_read FROM {customers}"; // the table's quoted name in the text, not a parameter
        var count = await premix.Raw(sql).ReadOnly().ScalarAs<long>();
        var second = await servedByPrimary(premix);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(relay.AnswersLost, Is.EqualTo(1), "the replica's answer was lost and its connection cut");
            Assert.That(count, Is.EqualTo(1), "the read was served by the primary");
            Assert.That(routes.Reasons, Does.Contain("primary: replica failed mid-read"));
            Assert.That(second, Is.True, "the replica is skipped for a while: the next read goes to the primary");
        }
    }

    /// <summary>
    /// A replica (behind <paramref name="relay"/>) that takes connections and then never answers: a read is served by the
    /// primary once ProbeTimeout (1 s here) ran out, the replica is skipped, and the warning names why. With
    /// <paramref name="afterAnswering"/>, the replica first serves a read (its connection stays pooled) and falls silent
    /// after, so what waits is what the next read sends on that connection: the status query (or the session setup of a
    /// pooled connection). Returns the rows the read counted, how long it took, the reasons routed and the warnings logged.
    /// </summary>
    public static async Task<(long Count, TimeSpan Took, IReadOnlyList<string> Reasons, IReadOnlyList<string> Skips)> ReadPastASilentReplicaAsync(
        TcpRelay relay, string database, Func<ILoggerFactory, IPremix> create, bool afterAnswering)
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var premix = create(loggerFactory);
        using var routes = new RouteCounter(database);
        relay.Silent = !afterAnswering;
        long count;
        TimeSpan took;
        await using (var uow = premix.BeginUnitOfWork())
        {
            if (afterAnswering)
            {
                await uow.Repository<Customer>().Query().CountAsync(); // served by the replica, which answers still
                uow.Repository<Customer>().Add(new Customer { Name = "Ada" });
                await uow.CommitAsync(); // on the primary: its position is past what the replica was seen at, so the next read checks
                relay.Silent = true;
            }

            var clock = Stopwatch.StartNew();
            count = await uow.Repository<Customer>().Query().CountAsync();
            took = clock.Elapsed;
        }

        var skips = logs.Entries.Where(e => e.Id == PremixEventId.ReplicaSkipped && e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        return (count, took, routes.Reasons, skips);
    }

    /// <summary>
    /// A replica (behind <paramref name="relay"/>) that takes connections but never answers is skipped once ProbeTimeout
    /// (1 s) ran out, well within <see cref="SilentReplicaBound"/>, and the read goes to the primary, with one warning.
    /// </summary>
    public static async Task AssertNeverAnsweringReplicaIsSkippedAsync(TcpRelay relay, string database, Func<ILoggerFactory, IPremix> create)
    {
        var (count, took, reasons, skips) = await ReadPastASilentReplicaAsync(relay, database, create, afterAnswering: false);
        Assert.That(count, Is.EqualTo(0), "the read was answered");
        Assert.That(took, Is.LessThan(SilentReplicaBound), "not the driver's default timeout");

        Assert.That(reasons, Is.EqualTo(new[] { "primary: replica down" }));
        Assert.That(skips, Has.Count.EqualTo(1), "one warning");
        Assert.That(skips[0], Does.Contain("(replica down)").And.Contain("connect timeout of 1 s"), "the open waited ProbeTimeout, not the pool's 15 s");
    }

    /// <summary>
    /// The bound a read past a silent replica must finish within, with ProbeTimeout 1 s: the wait itself (1 s) plus the
    /// driver's cancellation timeout (2 s) plus the read on the primary, with slack for a loaded machine; far below what
    /// the drivers wait by default (the 15 s connect timeout, the 30 s command timeout), which the read took before
    /// ProbeTimeout. An upper bound on a guarantee, not a measurement: a slow machine makes it pass later, not fail.
    /// </summary>
    public static readonly TimeSpan SilentReplicaBound = TimeSpan.FromSeconds(12);

    /// <summary>
    /// A read that runs out of its command timeout on the replica (the replica's connection string sets 1 s, the
    /// statement sleeps 3 s) is thrown, not run again on the primary (where it would have finished: the primary's command
    /// timeout is 30 s), and the replica is skipped as <c>replica timed out</c>, so the next read goes to the primary.
    /// </summary>
    public static async Task AssertReadThatTimesOutOnTheReplicaIsThrownAsync(Func<ILoggerFactory, IPremix> create, string database, string sleep, Func<IPremix, Task<bool>> servedByPrimary)
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var premix = create(loggerFactory);
        using var routes = new RouteCounter(database);

        var error = Assert.CatchAsync<DatabaseCommandException>(() => premix.Raw(sleep).ReadOnly().ScalarAs<long>());

        Assert.That(error!.Sql, Does.Contain(sleep), "the read's own statement timed out, not the status query");
        Assert.That(routes.Reasons, Is.Empty, "the read was not routed anywhere else: not run again on the primary");
        var skips = logs.Entries.Where(e => e.Id == PremixEventId.ReplicaSkipped && e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.That(skips, Has.Count.EqualTo(1), "one warning");
        Assert.That(skips[0], Does.Contain("(replica timed out)"));
        Assert.That(await servedByPrimary(premix), Is.True, "the replica is skipped for RecheckInterval");
        Assert.That(routes.Reasons, Is.EqualTo(new[] { "primary: replica timed out" }));
    }

    /// <summary>A loopback port nothing listens on: a replica that is down.</summary>
    public static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
