using Dapper;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Replicas;

/// <summary>
/// Read replicas with verified read-your-writes on MariaDB, against the real GTID replica the test command starts
/// (<c>PREMIX_TEST_MYSQL_REPLICA</c>, replicating the test primary). MariaDB only: the PostgreSQL twin is
/// <see cref="ReadReplicaTests"/>. The replica is shared by this fixture's tests, which run one after another; its
/// replication threads are always started again after each.
/// </summary>
[TestFixtureSource(typeof(MariaDbReadReplicaTests), nameof(ReplicaEngines))]
public sealed partial class MariaDbReadReplicaTests(Engine engine) : PremixTest(engine)
{
    private string _replicaAdmin = null!;
    private string _replica = null!;
    private IPremix _premix = null!;
    private readonly List<string> _users = [];

    /// <summary>The engine of this fixture.</summary>
    public static IEnumerable<Engine> ReplicaEngines { get; } = [Engine.MySql];

    [SetUp]
    public async Task CreateTablesAndPremixAsync()
    {
        _replicaAdmin = TestEnvironment.RequireReplicaConnectionString(Engine.MySql);
        _replica = new MySqlConnectionStringBuilder(_replicaAdmin) { Database = DatabaseName }.ConnectionString;
        await (await CreatePremixWithTablesAsync(new CustomerMap())).DisposeAsync();
        _premix = CreatePremixWithReplica(_replica);
        await ReplicaCaughtUpAsync();
    }

    [TearDown]
    public async Task StartReplicationAndDisposeAsync()
    {
        await ReplicaAsync("START SLAVE");
        await _premix.DisposeAsync();
        await DropUsersAsync();
    }

    [Test]
    public async Task A_read_only_session_on_the_replica_refuses_writes_even_with_SUPER_and_a_commit_through_Premix_lands_on_the_primary()
    {
        await using (var replica = new MySqlConnection(_replica))
        {
            await replica.OpenAsync();
            Assert.That(await replica.ExecuteScalarAsync<int>("SELECT @@server_id"), Is.EqualTo(2), "the replica");
            await replica.ExecuteAsync("SET SESSION TRANSACTION READ ONLY");
            var refused = Assert.ThrowsAsync<MySqlException>(() => replica.ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Visits")}) VALUES ('x', 0)"));
            Assert.That(refused!.ErrorCode, Is.EqualTo(MySqlErrorCode.CannotExecuteInReadOnlyTransaction));
        }

        await using var uow = _premix.BeginUnitOfWork();
        var ada = new Customer { Name = "Ada", Visits = 7 };
        uow.Repository<Customer>().Add(ada);
        await uow.CommitAsync();

        Assert.That(await ScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")} WHERE {Q("Id")} = @id", new { id = ada.Id }), Is.EqualTo(7), "on the primary");
        var token = uow.ReadYourWrites?.ToString();
        Assert.That(token, Does.Match("^gtid:0-1-[0-9]+$"), "the commit recorded its GTID");
        Assert.That(await ReplicaScalarAsync<int>("SELECT MASTER_GTID_WAIT(@gtid, 20)", new { gtid = token!["gtid:".Length..] }), Is.Zero, "the replica applies it");
        Assert.That(await ReplicaScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")} WHERE {Q("Id")} = @id", new { id = ada.Id }), Is.EqualTo(7), "and has the row then");
    }

    [Test]
    public async Task A_raw_write_marked_read_only_is_refused_by_the_replica_session_with_a_clear_exception_and_writes_nothing()
    {
        var insert = $"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Visits")}) VALUES ('x', 0)";
        var error = Assert.ThrowsAsync<ReplicaWriteException>(() => _premix.Raw(insert).ReadOnly().ExecuteAsync());

        Assert.That(error!.Message, Does.Contain("Remove ReadOnly()").And.Contain("read replica"));
        await ReplicaCaughtUpAsync();
        Assert.That(await CountRowsAsync("customers"), Is.Zero, "nothing on the primary");
        Assert.That(await ReplicaScalarAsync<long>($"SELECT COUNT(*) FROM {Q("customers")}"), Is.Zero, "nothing on the replica");
    }

    [Test]
    public async Task Raw_sql_goes_to_the_replica_only_when_marked_read_only()
    {
        Assert.That(await _premix.Raw("SELECT @@server_id").ScalarAs<int>(), Is.EqualTo(1), "unmarked raw SQL runs on the primary");
        Assert.That(await _premix.Raw("SELECT @@server_id").ReadOnly().ScalarAs<int>(), Is.EqualTo(2), "a read-only statement may run on the replica");
    }

    [Test]
    public async Task A_PostgreSQL_token_given_to_ReadAfter_is_refused_with_a_clear_message()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var error = Assert.Throws<ArgumentException>(() => uow.ReadAfter(ReadYourWritesToken.Parse("lsn:16/B374D848")));

        Assert.That(error!.Message, Does.Contain("PostgreSQL (lsn) position").And.Contain("primary is MariaDB (gtid)"));
        Assert.That(uow.ReadYourWrites, Is.Null, "the token was not kept");
    }

    [Test]
    public Task A_read_after_a_commit_never_sees_the_replica_stale_while_its_SQL_thread_is_stopped_at_random() =>
        ReplicaRouting.AssertNoStaleReadWhileReplayPausesAtRandomAsync(_premix, DatabaseName, StopApplyingAtRandomAsync, "the replica's SQL thread stopped");

    [Test]
    public Task A_replica_that_stopped_applying_serves_a_token_it_has_applied_and_a_read_without_a_token_goes_to_the_primary() =>
        ReplicaRouting.AssertTokenMetByALaggingReplicaAndAReadWithoutOneOnThePrimaryAsync(
            _premix,
            DatabaseName,
            ReplicaCaughtUpAsync,
            pause: () => ReplicaAsync("STOP SLAVE SQL_THREAD"),
            writeBehindTheReplica: () => ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Visits")}) VALUES ('Bo', 0)"),
            resume: () => ReplicaAsync("START SLAVE SQL_THREAD"));

    [Test]
    public async Task A_replica_that_receives_nothing_from_its_primary_is_skipped()
    {
        await ReplicaAsync("STOP SLAVE IO_THREAD");
        using var routes = new RouteCounter(DatabaseName);

        Assert.That(await _premix.Raw("SELECT @@server_id").ReadOnly().ScalarAs<int>(), Is.EqualTo(1));
        Assert.That(routes.Reasons, Is.EqualTo(new[] { "primary: replica not streaming" }));
    }

    [Test]
    public async Task A_server_that_is_not_a_replica_is_not_read_from_even_by_the_first_read_without_a_token()
    {
        await using var premix = CreatePremixWithReplica(ConnectionString);
        using var routes = new RouteCounter(DatabaseName);

        await using var uow = premix.BeginUnitOfWork();
        await uow.Repository<Customer>().Query().CountAsync();

        Assert.That(routes.Reasons, Is.EqualTo(new[] { "primary: not a replica" }));
    }

    [Test]
    public async Task Under_normal_lag_most_reads_right_after_a_commit_are_served_by_the_replica()
    {
        // The replica applies the whole suite's writes: a long MaxWait proves it serves reads however busy it is.
        foreach (var maxWait in new[] { 0, 5, 20, 2000 })
        {
            await using var premix = CreatePremixWithReplica(_replica, TimeSpan.FromMilliseconds(maxWait));
            using var routes = new RouteCounter(DatabaseName);
            const int Pairs = 500;
            var stale = await ReplicaRouting.WriteThenReadAsync(premix, 0, Pairs);
            TestContext.Out.WriteLine($"MaxWait {maxWait} ms: of {Pairs} reads right after a commit (carrying its token), "
                + $"{routes.Replica} ({100.0 * routes.Replica / Pairs:0.0} %) served by the replica, {routes.Primary} by the primary; {stale} stale; "
                + string.Join(", ", routes.Reasons.GroupBy(r => r).Select(g => $"{g.Key} × {g.Count()}")));
            Assert.That(stale, Is.Zero);
            if (maxWait == 2000)
            {
                Assert.That(routes.Replica, Is.GreaterThan(0), "a caught-up replica serves reads that carry a token");
            }
        }
    }

    [Test]
    public async Task A_replica_that_loses_the_connection_mid_read_is_skipped_and_the_read_is_served_by_the_primary()
    {
        await using var relay = new TcpRelay("127.0.0.1", (int)new MySqlConnectionStringBuilder(_replica).Port);
        await using var premix = CreatePremixWithReplica(Through(relay));
        await ReplicaRouting.AssertReadThatLosesItsConnectionIsServedByThePrimaryAsync(premix, relay, DatabaseName, Q("customers"), ReplicaCaughtUpAsync, ServedByPrimaryAsync);
    }

    [Test]
    public async Task A_replica_that_takes_connections_but_never_answers_is_skipped_after_ProbeTimeout_and_the_read_goes_to_the_primary()
    {
        await using var relay = new TcpRelay("127.0.0.1", (int)new MySqlConnectionStringBuilder(_replica).Port);
        await ReplicaRouting.AssertNeverAnsweringReplicaIsSkippedAsync(relay, DatabaseName, logger => CreatePremixWithReplica(Through(relay), probeTimeout: 1, loggerFactory: logger));
    }

    [Test]
    public async Task A_replica_that_stops_answering_is_skipped_after_ProbeTimeout_when_the_next_read_takes_its_pooled_connection()
    {
        await using var relay = new TcpRelay("127.0.0.1", (int)new MySqlConnectionStringBuilder(_replica).Port);
        var (count, took, reasons, skips) = await ReplicaRouting.ReadPastASilentReplicaAsync(relay, DatabaseName, logger => CreatePremixWithReplica(Through(relay), probeTimeout: 1, loggerFactory: logger), afterAnswering: true);
        Assert.That(count, Is.EqualTo(1), "the read was answered");
        Assert.That(took, Is.LessThan(ReplicaRouting.SilentReplicaBound), "not the driver's default timeout");

        // MySqlConnector resets a pooled session when it is taken, and Premix makes it read-only again: that setup, bounded
        // by the connect timeout (ProbeTimeout here), is what waits, before the status query.
        Assert.That(reasons, Is.EqualTo(new[] { "replica: no token, lag checked now", "primary: replica down" }));
        Assert.That(skips, Has.Count.EqualTo(1), "one warning");
        Assert.That(skips[0], Does.Contain("(replica down)"));
    }

    [Test]
    public async Task ProbeTimeout_never_lengthens_a_shorter_connect_timeout_set_for_the_pools()
    {
        await using var relay = new TcpRelay("127.0.0.1", (int)new MySqlConnectionStringBuilder(_replica).Port);
        var (_, _, reasons, skips) = await ReplicaRouting.ReadPastASilentReplicaAsync(relay, DatabaseName, logger => CreatePremixWithReplica(Through(relay), probeTimeout: 5, loggerFactory: logger, connectTimeout: TimeSpan.FromSeconds(1)), afterAnswering: false);

        Assert.That(reasons, Is.EqualTo(new[] { "primary: replica down" }));
        Assert.That(skips, Has.Count.EqualTo(1), "one warning");
        Assert.That(skips[0], Does.Contain("connect timeout of 1 s"), "the pools' 1 s, not ProbeTimeout's 5 s");
    }

    [Test]
    public async Task A_read_that_runs_out_of_its_command_timeout_on_the_replica_is_thrown_not_run_again_on_the_primary_and_the_replica_is_skipped() =>
        await ReplicaRouting.AssertReadThatTimesOutOnTheReplicaIsThrownAsync(
            logger => CreatePremixWithReplica(new MySqlConnectionStringBuilder(_replica) { DefaultCommandTimeout = 1 }.ConnectionString, loggerFactory: logger), DatabaseName, "SELECT SLEEP(3)", ServedByPrimaryAsync);

    [Test]
    public async Task A_replica_that_is_down_is_skipped()
    {
        await using var premix = CreatePremixWithReplica(new MySqlConnectionStringBuilder(_replica) { Port = (uint)ReplicaRouting.ClosedPort(), ConnectionTimeout = 2 }.ConnectionString);
        using var routes = new RouteCounter(DatabaseName);

        Assert.That(await premix.Raw("SELECT @@server_id").ReadOnly().ScalarAs<int>(), Is.EqualTo(1));
        Assert.That(routes.Reasons, Is.EqualTo(new[] { "primary: replica down" }));
    }

    [Test]
    public async Task COMMIT_and_the_read_of_the_commit_GTID_share_one_round_trip()
    {
        await using var relay = RelayToServer();
        await using var premix = PremixFactory.Create(p => p.UseProvider(ProviderThrough(relay)).AddModelConfiguration(new CustomerMap()).WithReadReplicas(_replica));
        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<Customer>().Add(new Customer { Name = "Ada" });
        relay.Recording = true;
        await uow.CommitAsync();
        relay.Recording = false;

        var turns = relay.Turns.ToList();
        var commit = turns.Single(t => t.Contains("COMMIT", StringComparison.Ordinal));
        Assert.That(commit, Does.Contain("@@last_gtid"), "the GTID is read in COMMIT's round trip");
        Assert.That(uow.ReadYourWrites?.ToString(), Does.StartWith("gtid:"));
    }

    private IPremix CreatePremixWithReplica(string replica, TimeSpan maxWait = default, int? probeTimeout = null, ILoggerFactory? loggerFactory = null, TimeSpan? connectTimeout = null) =>
        PremixFactory.Create(
            p => p.UseMySql(ConnectionString).AddModelConfiguration(new CustomerMap()).WithReadReplicas(replica)
                .ConfigureReadReplicas(o =>
                {
                    o.MaxWait = maxWait;
                    o.ProbeTimeout = probeTimeout is { } seconds ? TimeSpan.FromSeconds(seconds) : o.ProbeTimeout;
                })
                .ConfigureConnectionPool(o => o.ConnectTimeout = connectTimeout),
            loggerFactory);

    // The replica reached through a relay on loopback (without TLS, so the relay can read what passes).
    private string Through(TcpRelay relay) => new MySqlConnectionStringBuilder(_replica) { Port = (uint)relay.Port, SslMode = MySqlSslMode.None }.ConnectionString;

    private static async Task<bool> ServedByPrimaryAsync(IPremix premix) => await premix.Raw("SELECT @@server_id").ReadOnly().ScalarAs<int>() == 1;

    private async Task ReplicaAsync(string sql)
    {
        await using var replica = new MySqlConnection(_replicaAdmin);
        await replica.ExecuteAsync(sql);
    }

    private async Task<T?> ReplicaScalarAsync<T>(string sql, object? args = null)
    {
        await using var replica = new MySqlConnection(_replica);
        return await replica.ExecuteScalarAsync<T>(sql, args);
    }

    private Task<int> StopApplyingAtRandomAsync(CancellationToken stop) =>
        ReplicaRouting.PauseAtRandomAsync(new MySqlConnection(_replicaAdmin), "STOP SLAVE SQL_THREAD", "START SLAVE SQL_THREAD", stop);

    // Waits until the replica has applied everything the primary's binlog holds so far: the whole suite's writes, which
    // one SQL thread applies, bulk loads included, hence the long wait. If it does not, the replica's own errors say why.
    private async Task ReplicaCaughtUpAsync()
    {
        var position = await ScalarAsync<string>("SELECT @@gtid_binlog_pos");
        await using var replica = new MySqlConnection(_replicaAdmin); // the fixture's database may not have reached it yet
        if (await replica.ExecuteScalarAsync<int>("SELECT MASTER_GTID_WAIT(@position, 120)", new { position }) != 0)
        {
            var status = (IDictionary<string, object?>)await replica.QuerySingleAsync("SHOW ALL SLAVES STATUS");
            Assert.Fail($"The replica did not apply the primary's {position} within 120 s: it is at {status["Gtid_Slave_Pos"]}, "
                + $"IO thread {status["Slave_IO_Running"]}, SQL thread {status["Slave_SQL_Running"]}, {status["Seconds_Behind_Master"] ?? "?"} s behind; "
                + $"last SQL error: {status["Last_SQL_Error"]}; last IO error: {status["Last_IO_Error"]}");
        }
    }
}
