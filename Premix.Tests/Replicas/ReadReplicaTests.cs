using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Replicas;

/// <summary>
/// Read replicas with verified read-your-writes, against the real hot standby the test command starts
/// (<c>PREMIX_TEST_POSTGRES_REPLICA</c>, streaming from the test primary). PostgreSQL only: the MariaDB twin is
/// <see cref="MariaDbReadReplicaTests"/>, and SQLite has no replicas (<see cref="ReadReplicaRefusalTests"/>).
/// The standby is shared by this fixture's tests, which run one after another; replay is always resumed after each.
/// </summary>
[TestFixtureSource(typeof(ReadReplicaTests), nameof(ReplicaEngines))]
public sealed class ReadReplicaTests(Engine engine) : PremixTest(engine)
{
    private string _replicaAdmin = null!;
    private string _replica = null!;
    private IPremix _premix = null!;

    /// <summary>The engines whose replicas the test command starts and Premix routes to.</summary>
    public static IEnumerable<Engine> ReplicaEngines { get; } = [Engine.PostgreSql];

    [SetUp]
    public async Task CreateTablesAndPremixAsync()
    {
        _replicaAdmin = TestEnvironment.RequireReplicaConnectionString(Engine.PostgreSql);
        _replica = new NpgsqlConnectionStringBuilder(_replicaAdmin) { Database = DatabaseName }.ConnectionString;
        await (await CreatePremixWithTablesAsync(new CustomerMap(), new AuthorMap(), new BookMap())).DisposeAsync();
        await SetSynchronousCommitAsync("on");
        _premix = CreatePremixWithReplica(_replica);
        await ReplicaCaughtUpAsync();
    }

    [TearDown]
    public async Task ResumeReplayAndDisposeAsync()
    {
        await ResumeReplayAsync();
        await _premix.DisposeAsync();
    }

    [Test]
    public async Task The_standby_refuses_writes_and_a_commit_through_Premix_lands_on_the_primary()
    {
        await using (var replica = new NpgsqlConnection(_replica))
        {
            await replica.OpenAsync();
            Assert.That(await replica.ExecuteScalarAsync<bool>("SELECT pg_is_in_recovery()"), Is.True, "the replica is a standby");
            var refused = Assert.ThrowsAsync<PostgresException>(() => replica.ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Visits")}) VALUES ('x', 0)"));
            Assert.That(refused!.SqlState, Is.EqualTo(PostgresErrorCodes.ReadOnlySqlTransaction));
        }

        await using var uow = _premix.BeginUnitOfWork();
        var ada = new Customer { Name = "Ada", Visits = 7 };
        uow.Repository<Customer>().Add(ada);
        await uow.CommitAsync();

        Assert.That(await ScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")} WHERE {Q("Id")} = @id", new { id = ada.Id }), Is.EqualTo(7), "on the primary");
        Assert.That(uow.ReadYourWrites, Is.Not.Null, "the commit recorded the primary's position");
    }

    [Test]
    public async Task A_MariaDB_token_given_to_ReadAfter_is_refused_with_a_clear_message()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var error = Assert.Throws<ArgumentException>(() => uow.ReadAfter(ReadYourWritesToken.Parse("gtid:0-1-5")));

        Assert.That(error!.Message, Does.Contain("MariaDB (gtid) position").And.Contain("primary is PostgreSQL (lsn)"));
        Assert.That(uow.ReadYourWrites, Is.Null, "the token was not kept");
    }

    [Test]
    public async Task A_raw_write_marked_read_only_is_refused_by_the_replica_with_a_clear_exception_and_writes_nothing()
    {
        var insert = $"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Visits")}) VALUES ('x', 0)";
        var error = Assert.ThrowsAsync<ReplicaWriteException>(() => _premix.Raw(insert).ReadOnly().ExecuteAsync());

        Assert.That(error!.Message, Does.Contain("Remove ReadOnly()").And.Contain("read replica"));
        Assert.That(await CountRowsAsync("customers"), Is.Zero);
    }

    [Test]
    public async Task Raw_sql_goes_to_the_replica_only_when_marked_read_only()
    {
        Assert.That(await _premix.Raw("SELECT pg_is_in_recovery()").ScalarAs<bool>(), Is.False, "unmarked raw SQL runs on the primary");
        Assert.That(await _premix.Raw("SELECT pg_is_in_recovery()").ReadOnly().ScalarAs<bool>(), Is.True, "a read-only statement may run on the replica");
    }

    [Test]
    public async Task Reads_inside_a_transaction_never_go_to_the_replica()
    {
        await using var uow = _premix.BeginUnitOfWork();
        await uow.Raw($"INSERT INTO {I("customers")} ({I("Name")}, {I("Visits")}) VALUES ('Bo', 1)").ExecuteAsync(); // begins the transaction

        Assert.That(await uow.Raw("SELECT pg_is_in_recovery()").ReadOnly().ScalarAs<bool>(), Is.False);
        Assert.That(await uow.Repository<Customer>().Query().CountAsync(), Is.EqualTo(1), "the transaction's own row is seen: the read ran in it");
    }

    [Test]
    public async Task A_query_with_Include_runs_all_its_statements_on_the_primary_and_a_plain_query_may_use_the_replica()
    {
        await using (var writer = _premix.BeginUnitOfWork())
        {
            writer.Repository<Author>().Add(new Author { Name = "Le Guin", Books = [new Book { Title = "The Dispossessed" }] });
            await writer.CommitAsync();
        }

        await ReplicaCaughtUpAsync();
        await using var uow = _premix.BeginUnitOfWork();
        using var routes = new RouteCounter(DatabaseName);

        var authors = await uow.Repository<Author>().Query().Include(a => a.Books).ToListAsync();
        Assert.That(routes.Reasons, Is.Empty, "an Include's statements share one connection on the primary: none is routed");
        Assert.That(authors.Single().Books.Single().Title, Is.EqualTo("The Dispossessed"));

        Assert.That(await uow.Repository<Book>().Query().CountAsync(), Is.EqualTo(1));
        Assert.That(routes.Reasons, Is.EqualTo(new[] { "replica: no token, lag checked now" }));
    }

    [Test]
    public async Task The_span_of_a_routed_read_names_the_server_chosen_and_why()
    {
        var spans = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PremixDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await using var uow = _premix.BeginUnitOfWork();
        await uow.Repository<Customer>().Query().CountAsync();

        // The listener hears the whole process (the MariaDB replica fixture may be routing too): this database's routes only.
        var route = spans.Single(s => s.OperationName == "route read" && spans.Any(c => c.Parent == s && c.GetTagItem("db.namespace") as string == DatabaseName));
        var statement = spans.Last(s => s.Parent == route && s.GetTagItem("db.operation.name") as string == "SELECT"); // after the lag check's
        var replicaPort = new NpgsqlConnectionStringBuilder(_replica).Port;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(route.GetTagItem("premix.read.target"), Is.EqualTo("replica"));
            Assert.That(route.GetTagItem("premix.read.reason"), Is.EqualTo("no token, lag checked now"));
            Assert.That(route.GetTagItem("server.port"), Is.EqualTo(replicaPort));
            Assert.That(statement.GetTagItem("server.port"), Is.EqualTo(replicaPort), "the statement's own span names the replica");
        }
    }

    [Test]
    public Task A_read_after_a_commit_never_sees_the_replica_stale_while_replay_is_paused_at_random() =>
        ReplicaRouting.AssertNoStaleReadWhileReplayPausesAtRandomAsync(_premix, DatabaseName, PauseReplayAtRandomAsync, "replay paused");

    [Test]
    public async Task A_VerifyCommitWith_check_reads_the_primary_so_a_landed_commit_whose_answer_was_lost_is_not_reported_unsaved()
    {
        await using var relay = RelayToServer();
        await using var premix = PremixFactory.Create(p => p.UseProvider(ProviderThrough(relay)).AddModelConfiguration(new CustomerMap()).WithReadReplicas(_replica));
        await PauseReplayAsync(); // the standby cannot see the commit the check looks for
        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<Customer>().Add(new Customer { Name = "Ada" });
        uow.VerifyCommitWith(async (check, cancellationToken) => await check.Repository<Customer>().Query().Where(c => c.Name == "Ada").AnyAsync(cancellationToken));
        relay.LoseAnswerTo(@"\bCOMMIT\b");
        using var routes = new RouteCounter(DatabaseName);

        await uow.CommitAsync(); // before the fix: the check read the paused replica, found nothing, and reported the commit unsaved (retryable)

        using (Assert.EnterMultipleScope())
        {
            Assert.That(relay.AnswersLost, Is.EqualTo(1), "the answer to COMMIT was lost");
            Assert.That(routes.Reasons, Is.Empty, "the check's read was not routed: it ran on the primary");
            Assert.That(await CountRowsAsync("customers"), Is.EqualTo(1), "one row");
        }
    }

    [Test]
    public async Task A_commit_whose_position_comes_back_empty_succeeds_warns_and_keeps_the_scope_reads_on_the_primary()
    {
        // A function of the same name earlier on the search path breaks only the position's SELECT, not COMMIT. (One that
        // raises an error is not covered: Npgsql throws it from ExecuteReader without saying which statement failed.)
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestEnvironment.RequireAdminConnectionString(Engine.PostgreSql)) { Database = DatabaseName }.ConnectionString))
        {
            await admin.ExecuteAsync("CREATE SCHEMA IF NOT EXISTS premix_break; CREATE OR REPLACE FUNCTION premix_break.pg_current_wal_insert_lsn() RETURNS pg_lsn LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'position unavailable'; END $$");
            await admin.ExecuteAsync($"ALTER DATABASE {DatabaseName} SET search_path = premix_break, pg_catalog, \"$user\", public");
        }

        try
        {
            var logs = new CapturingLoggerProvider();
            using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
            await using var premix = PremixFactory.Create(p => p.UsePostgreSql(ConnectionString).AddModelConfiguration(new CustomerMap()).WithReadReplicas(_replica), loggerFactory);
            foreach (var breaks in new[] { "RETURN NULL" })
            {
                await ReplaceBrokenPositionAsync(breaks);
                await using var uow = premix.BeginUnitOfWork();
                var ada = new Customer { Name = "Ada", Visits = 1 };
                uow.Repository<Customer>().Add(ada);
                using var routes = new RouteCounter(DatabaseName);

                await uow.CommitAsync(); // before the fix: reported as a failed COMMIT, the objects reverted

                using (Assert.EnterMultipleScope())
                {
                    Assert.That(ada.Id, Is.Not.Zero, breaks + ": the commit completed");
                    Assert.That(await ScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")} WHERE {Q("Id")} = @id", new { id = ada.Id }), Is.EqualTo(1), breaks + ": on the primary");
                    Assert.That(uow.ReadYourWrites, Is.Null, breaks + ": no position was recorded");
                    Assert.That(await uow.Raw("SELECT pg_is_in_recovery()").ReadOnly().ScalarAs<bool>(), Is.False, breaks + ": the scope's reads stay on the primary");
                    Assert.That(routes.Reasons, Is.Empty, breaks + ": not routed");
                }
            }

            Assert.That(logs.Entries.Count(e => e.Id == PremixEventId.CommitPositionUnread && e.Level == LogLevel.Warning), Is.EqualTo(1));
        }
        finally
        {
            await using var admin = new NpgsqlConnection(TestEnvironment.RequireAdminConnectionString(Engine.PostgreSql));
            await admin.ExecuteAsync($"ALTER DATABASE {DatabaseName} RESET search_path");
        }
    }

    [Test]
    public async Task A_read_without_a_token_is_lag_checked_on_the_first_read_and_after_a_token_read_and_goes_to_the_primary_when_the_replica_lags()
    {
        await using var premix = PremixFactory.Create(p => p.UsePostgreSql(ConnectionString).AddModelConfiguration(new CustomerMap()).WithReadReplicas(_replica).ConfigureReadReplicas(o => o.MaxLag = TimeSpan.FromSeconds(1)));
        await ReplicaRouting.AssertTokenMetByALaggingReplicaAndAReadWithoutOneOnThePrimaryAsync(
            premix,
            DatabaseName,
            ReplicaCaughtUpAsync,
            pause: PauseReplayAsync,
            writeBehindTheReplica: async () =>
            {
                await ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Visits")}) VALUES ('Bo', 0)");
                await ReplicaLagsMoreThanAsync(1.2);
            },
            resume: ResumeReplayAsync);
    }

    [Test]
    public async Task A_server_that_is_not_a_replica_is_not_read_from_even_by_the_first_read_without_a_token()
    {
        await using var premix = PremixFactory.Create(p => p.UsePostgreSql(ConnectionString).AddModelConfiguration(new CustomerMap()).WithReadReplicas(ConnectionString));
        using var routes = new RouteCounter(DatabaseName);

        await using var uow = premix.BeginUnitOfWork();
        await uow.Repository<Customer>().Query().CountAsync();

        Assert.That(routes.Reasons, Is.EqualTo(new[] { "primary: not a replica" }));
    }

    [Test]
    public async Task Under_normal_lag_most_reads_right_after_a_commit_are_served_by_the_replica()
    {
        // The test primary runs with synchronous_commit=off: the commit record reaches the standby only once the WAL writer
        // flushes it (wal_writer_delay, 200 ms), so few immediate reads can be served there. Production's default is on.
        foreach (var (synchronousCommit, maxWait) in new[] { ("off", 0), ("on", 0), ("on", 5), ("on", 20) })
        {
            await SetSynchronousCommitAsync(synchronousCommit);
            await using var premix = CreatePremixWithReplica(_replica, TimeSpan.FromMilliseconds(maxWait));
            using var routes = new RouteCounter(DatabaseName);
            const int Pairs = 500;
            var stale = await ReplicaRouting.WriteThenReadAsync(premix, 0, Pairs);
            TestContext.Out.WriteLine($"synchronous_commit={synchronousCommit}, MaxWait {maxWait} ms: of {Pairs} reads right after a commit (carrying its token), "
                + $"{routes.Replica} ({100.0 * routes.Replica / Pairs:0.0} %) served by the replica, {routes.Primary} by the primary; {stale} stale; "
                + string.Join(", ", routes.Reasons.GroupBy(r => r).Select(g => $"{g.Key} × {g.Count()}")));
            Assert.That(stale, Is.Zero);
            if (synchronousCommit == "on" && maxWait > 0)
            {
                Assert.That(routes.Replica, Is.GreaterThan(0), "a caught-up replica serves reads that carry a token");
            }
        }
    }

    [Test]
    public async Task A_replica_that_loses_the_connection_mid_read_is_skipped_and_the_read_is_served_by_the_primary()
    {
        await using var relay = new TcpRelay("127.0.0.1", new NpgsqlConnectionStringBuilder(_replica).Port);
        await using var premix = CreatePremixWithReplica(Through(relay));
        await ReplicaRouting.AssertReadThatLosesItsConnectionIsServedByThePrimaryAsync(premix, relay, DatabaseName, Q("customers"), ReplicaCaughtUpAsync, ServedByPrimaryAsync);
    }

    [Test]
    public async Task A_replica_that_takes_connections_but_never_answers_is_skipped_after_ProbeTimeout_and_the_read_goes_to_the_primary()
    {
        await using var relay = new TcpRelay("127.0.0.1", new NpgsqlConnectionStringBuilder(_replica).Port);
        await ReplicaRouting.AssertNeverAnsweringReplicaIsSkippedAsync(relay, DatabaseName, logger => CreatePremixWithReplica(Through(relay), probeTimeout: 1, loggerFactory: logger));
    }

    [Test]
    public async Task A_replica_that_stops_answering_its_status_query_is_skipped_after_ProbeTimeout_and_the_read_goes_to_the_primary()
    {
        await using var relay = new TcpRelay("127.0.0.1", new NpgsqlConnectionStringBuilder(_replica).Port);
        var (count, took, reasons, skips) = await ReplicaRouting.ReadPastASilentReplicaAsync(relay, DatabaseName, logger => CreatePremixWithReplica(Through(relay), probeTimeout: 1, loggerFactory: logger), afterAnswering: true);
        Assert.That(count, Is.EqualTo(1), "the read was answered");
        Assert.That(took, Is.LessThan(ReplicaRouting.SilentReplicaBound), "not the driver's default timeout");

        Assert.That(reasons, Is.EqualTo(new[] { "replica: no token, lag checked now", "primary: replica not answering" }), "the pooled connection opened without a round trip; the status query waited");
        Assert.That(skips, Has.Count.EqualTo(1), "one warning");
        Assert.That(skips[0], Does.Contain("(replica not answering)").And.Contain("within ProbeTimeout (1 s)"));
    }

    [Test]
    public async Task ProbeTimeout_never_lengthens_a_shorter_connect_timeout_set_for_the_pools()
    {
        await using var relay = new TcpRelay("127.0.0.1", new NpgsqlConnectionStringBuilder(_replica).Port);
        var (_, _, reasons, skips) = await ReplicaRouting.ReadPastASilentReplicaAsync(relay, DatabaseName, logger => CreatePremixWithReplica(Through(relay), probeTimeout: 5, loggerFactory: logger, connectTimeout: TimeSpan.FromSeconds(1)), afterAnswering: false);

        Assert.That(reasons, Is.EqualTo(new[] { "primary: replica down" }));
        Assert.That(skips, Has.Count.EqualTo(1), "one warning");
        Assert.That(skips[0], Does.Contain("connect timeout of 1 s"), "the pools' 1 s, not ProbeTimeout's 5 s");
    }

    [Test]
    public async Task A_read_that_runs_out_of_its_command_timeout_on_the_replica_is_thrown_not_run_again_on_the_primary_and_the_replica_is_skipped() =>
        await ReplicaRouting.AssertReadThatTimesOutOnTheReplicaIsThrownAsync(
            logger => CreatePremixWithReplica(new NpgsqlConnectionStringBuilder(_replica) { CommandTimeout = 1 }.ConnectionString, loggerFactory: logger), DatabaseName, "SELECT COUNT(*) FROM pg_sleep(3)", ServedByPrimaryAsync);

    [Test]
    public async Task A_replica_that_is_down_is_skipped()
    {
        await using var premix = CreatePremixWithReplica(new NpgsqlConnectionStringBuilder(_replica) { Port = ReplicaRouting.ClosedPort(), Timeout = 2 }.ConnectionString);
        using var routes = new RouteCounter(DatabaseName);

        Assert.That(await premix.Raw("SELECT pg_is_in_recovery()").ReadOnly().ScalarAs<bool>(), Is.False);
        Assert.That(routes.Reasons, Is.EqualTo(new[] { "primary: replica down" }));
    }

    [Test]
    public async Task COMMIT_and_the_read_of_the_primary_position_share_one_round_trip()
    {
        await using var relay = RelayToServer();
        await using var premix = PremixFactory.Create(p => p.UseProvider(ProviderThrough(relay)).AddModelConfiguration(new CustomerMap()).WithReadReplicas(_replica));
        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<Customer>().Add(new Customer { Name = "Ada" });
        relay.Recording = true;
        await uow.CommitAsync();
        relay.Recording = false;

        var turns = relay.Turns.ToList();
        var commit = turns.Single(t => t.Contains("\0COMMIT\0", StringComparison.Ordinal)); // the statement, not BEGIN's READ COMMITTED
        Assert.That(commit, Does.Contain("pg_current_wal_insert_lsn"), "the position is read in COMMIT's round trip");
        Assert.That(turns.Count(t => t.Contains("ROLLBACK", StringComparison.Ordinal)), Is.Zero, "the driver saw the transaction end: nothing is sent to dispose it");
        Assert.That(turns.IndexOf(commit), Is.EqualTo(turns.Count - 1), "nothing follows COMMIT");
    }

    private async Task PauseReplayAsync()
    {
        await using var replica = new NpgsqlConnection(_replicaAdmin);
        await replica.ExecuteAsync("SELECT pg_wal_replay_pause()");
    }

    private async Task ResumeReplayAsync()
    {
        await using var replica = new NpgsqlConnection(_replicaAdmin);
        await replica.ExecuteAsync("SELECT pg_wal_replay_resume()");
    }

    private async Task ReplaceBrokenPositionAsync(string body)
    {
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestEnvironment.RequireAdminConnectionString(Engine.PostgreSql)) { Database = DatabaseName }.ConnectionString);
        await admin.ExecuteAsync($"CREATE OR REPLACE FUNCTION premix_break.pg_current_wal_insert_lsn() RETURNS pg_lsn LANGUAGE plpgsql AS $$ BEGIN {body}; END $$");
    }

    // Waits until the standby, with WAL received but not replayed, reports more than this lag (PostgreSqlReadReplicas' measure).
    private async Task ReplicaLagsMoreThanAsync(double seconds)
    {
        await using var replica = new NpgsqlConnection(_replicaAdmin);
        await replica.OpenAsync();
        var deadline = Stopwatch.StartNew();
        while (!await replica.ExecuteScalarAsync<bool>("SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn() AND now() - pg_last_xact_replay_timestamp() > make_interval(secs => @s)", new { s = seconds }))
        {
            Assert.That(deadline.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "the standby did not fall behind");
            await Task.Delay(50);
        }
    }

    // The database's sessions commit as production does by default (synchronous_commit=on), unlike the test server's
    // others (off: see the lag test). Only sessions opened afterwards see it, so each Premix has a data source of its own.
    private async Task SetSynchronousCommitAsync(string value)
    {
        await using var admin = new NpgsqlConnection(TestEnvironment.RequireAdminConnectionString(Engine.PostgreSql));
        await admin.ExecuteAsync($"ALTER DATABASE {DatabaseName} SET synchronous_commit = {value}");
    }

    private IPremix CreatePremixWithReplica(string replica, TimeSpan maxWait = default, int? probeTimeout = null, ILoggerFactory? loggerFactory = null, TimeSpan? connectTimeout = null) =>
        PremixFactory.Create(
            p => p.UsePostgreSql(ConnectionString).AddModelConfiguration(new CustomerMap()).AddModelConfiguration(new AuthorMap()).AddModelConfiguration(new BookMap()).WithReadReplicas(replica)
                .ConfigureReadReplicas(o =>
                {
                    o.MaxWait = maxWait;
                    o.ProbeTimeout = probeTimeout is { } seconds ? TimeSpan.FromSeconds(seconds) : o.ProbeTimeout;
                })
                .ConfigureConnectionPool(o => o.ConnectTimeout = connectTimeout),
            loggerFactory);

    // The replica reached through a relay on loopback (without TLS, so the relay can read what passes).
    private string Through(TcpRelay relay) => new NpgsqlConnectionStringBuilder(_replica) { Port = relay.Port, SslMode = SslMode.Disable }.ConnectionString;

    private static async Task<bool> ServedByPrimaryAsync(IPremix premix) => !await premix.Raw("SELECT pg_is_in_recovery()").ReadOnly().ScalarAs<bool>();

    private Task<int> PauseReplayAtRandomAsync(CancellationToken stop) =>
        ReplicaRouting.PauseAtRandomAsync(new NpgsqlConnection(_replicaAdmin), "SELECT pg_wal_replay_pause()", "SELECT pg_wal_replay_resume()", stop);

    // Waits until the standby has replayed everything committed so far: the test primary commits with synchronous_commit=off,
    // so WAL reaches the standby only once flushed; a commit flushed at once flushes all before it.
    private async Task ReplicaCaughtUpAsync()
    {
        string position;
        await using (var primary = new NpgsqlConnection(TestEnvironment.RequireAdminConnectionString(Engine.PostgreSql)))
        {
            await primary.OpenAsync();
            // A transaction that writes WAL commits synchronously here, flushing all WAL before it (txid_current() alone writes none).
            await primary.ExecuteAsync("SET synchronous_commit = on; CREATE TEMP TABLE premix_flush (x int)");
            position = await primary.ExecuteScalarAsync<string>("SELECT pg_current_wal_flush_lsn()::text") ?? throw new InvalidOperationException("no position");
        }

        await using var replica = new NpgsqlConnection(_replicaAdmin);
        await replica.OpenAsync();
        var deadline = Stopwatch.StartNew();
        while (!await replica.ExecuteScalarAsync<bool>("SELECT pg_last_wal_replay_lsn() >= @p::pg_lsn", new { p = position }))
        {
            Assert.That(deadline.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "the standby did not catch up");
            await Task.Delay(10);
        }
    }

}

/// <summary>
/// <c>WithReadReplicas</c> on an engine Premix cannot route to replicas of fails at startup with a message saying so,
/// instead of silently reading from the primary; on PostgreSQL and MariaDB it builds.
/// </summary>
public sealed class ReadReplicaRefusalTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task WithReadReplicas_builds_on_PostgreSQL_and_MariaDB_and_is_refused_with_a_clear_message_on_SQLite()
    {
        IPremix Build() => CreatePremix(p => p.AddModelConfiguration(new CustomerMap()).WithReadReplicas(ConnectionString));
        if (Engine != Engine.Sqlite)
        {
            await Build().DisposeAsync();
            return;
        }

        var error = Assert.Throws<InvalidOperationException>(() => Build());
        Assert.That(error!.Message, Does.Contain("Remove WithReadReplicas").And.Contain("SQLite is a file inside the application's process"));
    }
}

/// <summary>The token's text form: what an application puts in a cookie or header and reads back.</summary>
public sealed class ReadYourWritesTokenTests
{
    [Test]
    public void A_token_reads_back_from_its_text_and_junk_is_refused()
    {
        var token = ReadYourWritesToken.Parse("lsn:16/B374D848");
        Assert.That(token.ToString(), Is.EqualTo("lsn:16/B374D848"));
        Assert.That(ReadYourWritesToken.Parse(token.ToString()), Is.EqualTo(token));
        foreach (var junk in new[] { null, "", "16/B374D848", "lsn:", "lsn:16", "lsn:/1", "lsn:1/", "lsn:123456789/1", "lsn:G/1", "lsn:1/2/3" })
        {
            Assert.That(ReadYourWritesToken.TryParse(junk, out _), Is.False, junk);
        }

        Assert.That(() => ReadYourWritesToken.Parse("nope"), Throws.TypeOf<FormatException>().With.Message.Contains("lsn:").And.Message.Contains("gtid:"));
    }

    [Test]
    public void A_MariaDB_token_reads_back_from_its_text_in_domain_order_and_junk_is_refused()
    {
        var token = ReadYourWritesToken.Parse("gtid:2-1-7,0-1-1234");
        Assert.That(token.ToString(), Is.EqualTo("gtid:0-1-1234,2-1-7"), "one GTID per domain, in domain order");
        Assert.That(ReadYourWritesToken.Parse(token.ToString()), Is.EqualTo(token));
        Assert.That(token, Is.Not.EqualTo(ReadYourWritesToken.Parse("gtid:0-1-1234")));
        foreach (var junk in new[] { "gtid:", "gtid:0-1", "gtid:0-1-2-3", "gtid:a-1-2", "gtid:0-1-2,0-1-3", "gtid:-1-1-2", "gtid:0-1-2,", "gtid 0-1-2", "0-1-2" })
        {
            Assert.That(ReadYourWritesToken.TryParse(junk, out _), Is.False, junk);
        }
    }

    [Test]
    public void A_MariaDB_position_covers_another_when_it_is_as_far_in_every_domain_of_the_other_whatever_the_server_id()
    {
        var replayed = ReadYourWritesToken.FromPosition("gtid", "0-1-100,1-2-5")!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ReadYourWritesToken.Parse("gtid:0-1-100").IsCoveredBy(replayed), Is.True);
            Assert.That(ReadYourWritesToken.Parse("gtid:0-3-99").IsCoveredBy(replayed), Is.True, "a sequence number of the domain, from another server (a failover)");
            Assert.That(ReadYourWritesToken.Parse("gtid:0-1-101").IsCoveredBy(replayed), Is.False);
            Assert.That(ReadYourWritesToken.Parse("gtid:0-1-9,1-2-6").IsCoveredBy(replayed), Is.False, "behind in one domain");
            Assert.That(ReadYourWritesToken.Parse("gtid:2-1-1").IsCoveredBy(replayed), Is.False, "a domain it has applied nothing of");
            Assert.That(ReadYourWritesToken.Parse("gtid:0-1-1").IsCoveredBy(ReadYourWritesToken.FromPosition("gtid", "")!), Is.False, "a replica that has applied nothing");
            Assert.That(ReadYourWritesToken.Later(ReadYourWritesToken.Parse("gtid:0-1-9,1-2-6"), ReadYourWritesToken.Parse("gtid:0-1-12,2-1-1"))!.ToString(), Is.EqualTo("gtid:0-1-12,1-2-6,2-1-1"), "the later of each domain");
            Assert.That(ReadYourWritesToken.Later(ReadYourWritesToken.Parse("gtid:0-1-9"), ReadYourWritesToken.Parse("gtid:0-1-12"))!.ToString(), Is.EqualTo("gtid:0-1-12"));
        }
    }

    [Test]
    public void Tokens_of_two_engines_do_not_combine()
    {
        var error = Assert.Throws<ArgumentException>(() => ReadYourWritesToken.Later(ReadYourWritesToken.Parse("lsn:1/0"), ReadYourWritesToken.Parse("gtid:0-1-1")));
        Assert.That(error!.Message, Does.Contain("different engines"));
    }

    [Test]
    public void Positions_order_by_their_high_then_low_32_bits_and_lowercase_hex_reads_the_same()
    {
        var a0 = ReadYourWritesToken.Parse("lsn:A/0");
        var nine = ReadYourWritesToken.Parse("lsn:9/FFFFFFFF");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(a0.Position, Is.GreaterThan(nine.Position), "A/0 is past 9/FFFFFFFF (not compared as text)");
            Assert.That(ReadYourWritesToken.Parse("lsn:1/b374d848"), Is.EqualTo(ReadYourWritesToken.Parse("lsn:1/B374D848")));
            Assert.That(ReadYourWritesToken.Later(a0, nine), Is.SameAs(a0));
            Assert.That(ReadYourWritesToken.Later(nine, a0), Is.SameAs(a0));
            Assert.That(ReadYourWritesToken.Later(null, nine), Is.SameAs(nine));
            Assert.That(ReadYourWritesToken.Later(nine, null), Is.SameAs(nine));
        }
    }
}
