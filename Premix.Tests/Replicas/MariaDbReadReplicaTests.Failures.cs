using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Premix.Providers;
using Premix.Providers.MySql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Replicas;

/// <summary>
/// MariaDB replicas in the setups the documentation recommends and when a statement of the routing fails: a replica user
/// without SUPER (so <c>read_only</c> itself refuses writes, error 1290), one without the privilege the status needs, and
/// a commit whose position read fails after COMMIT was answered, and servers behind a proxy that announces Oracle MySQL.
/// </summary>
public sealed partial class MariaDbReadReplicaTests
{
    [Test]
    public async Task A_raw_write_marked_read_only_is_refused_for_a_replica_user_without_SUPER_and_is_not_run_again_on_the_primary()
    {
        var replica = await ReplicaUserAsync("SELECT, INSERT", "REPLICA MONITOR");
        await using var premix = CreatePremixWithReplica(replica);
        var insert = $"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Visits")}) VALUES ('x', 0)";

        var error = Assert.ThrowsAsync<ReplicaWriteException>(() => premix.Raw(insert).ReadOnly().ExecuteAsync());

        Assert.That(error!.InnerException?.InnerException, Is.InstanceOf<MySqlException>().With.Property(nameof(MySqlException.ErrorCode)).EqualTo(MySqlErrorCode.OptionPreventsStatement),
            "read_only=ON refused it before the session's read-only transaction could (1290, not 1792)");
        await ReplicaCaughtUpAsync();
        Assert.That(await CountRowsAsync("customers"), Is.Zero, "nothing on the primary");
        Assert.That(await ReplicaScalarAsync<long>($"SELECT COUNT(*) FROM {Q("customers")}"), Is.Zero, "nothing on the replica");
    }

    [Test]
    public async Task A_replica_whose_status_the_user_may_not_read_is_skipped_as_a_down_replica_is()
    {
        var replica = await ReplicaUserAsync("SELECT", null);
        await using var premix = CreatePremixWithReplica(replica);
        using var routes = new RouteCounter(DatabaseName);

        Assert.That(await premix.Raw("SELECT @@server_id").ReadOnly().ScalarAs<int>(), Is.EqualTo(1), "served by the primary");
        Assert.That(await premix.Raw("SELECT @@server_id").ReadOnly().ScalarAs<int>(), Is.EqualTo(1), "served by the primary");

        // The second read does not try the replica again: it is skipped for RecheckInterval, with the same reason.
        Assert.That(routes.Reasons, Is.EqualTo(new[] { "primary: replica status unreadable", "primary: replica status unreadable" }));
    }

    [Test]
    public async Task A_commit_whose_position_read_fails_as_on_a_MySQL_server_landed_is_not_reported_failed_and_its_reads_stay_on_the_primary_until_a_commit_reads_a_position()
    {
        var provider = new PositionSqlProvider(new MySqlProvider(ConnectionString), "SELECT @@premix_no_such_variable"); // 1193, as @@last_gtid on MySQL
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var premix = PremixFactory.Create(p => p.UseProvider(provider).AddModelConfiguration(new CustomerMap()).WithReadReplicas(_replica), loggerFactory);
        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<Customer>().Add(new Customer { Name = "Ada" });

        Assert.DoesNotThrowAsync(() => uow.CommitAsync(), "the commit landed: its position's failure is not a failed commit");
        Assert.That(await CountRowsAsync("customers"), Is.EqualTo(1), "on the primary, once");
        Assert.That(uow.ReadYourWrites, Is.Null, "no position was read");

        using var routes = new RouteCounter(DatabaseName);
        Assert.That(await uow.Repository<Customer>().Query().CountAsync(), Is.EqualTo(1));
        Assert.That(routes.Reasons, Is.Empty, "the unit of work's read went to the primary without asking the router");

        // Every commit on such a primary answers so: said once, clearly.
        await using (var other = premix.BeginUnitOfWork())
        {
            other.Repository<Customer>().Add(new Customer { Name = "Al" });
            await other.CommitAsync();
        }

        var warnings = logs.Entries.Where(e => e.Id == PremixEventId.CommitPositionUnread && e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.That(warnings, Has.Count.EqualTo(1), "one warning for two commits");
        Assert.That(warnings[0], Does.Contain("gives no position").And.Contain("MariaDB only"));

        // A later commit with an empty position (nothing to wait for) does not cover the first one: still the primary.
        provider.PositionSql = "SELECT ''";
        uow.Repository<Customer>().Add(new Customer { Name = "Bo" });
        await uow.CommitAsync();
        Assert.That(await uow.Repository<Customer>().Query().CountAsync(), Is.EqualTo(3));
        Assert.That(routes.Reasons, Is.Empty, "an empty position did not lift the primary-only state");

        // A commit that reads its position (past the first's: one domain, in commit order) lets reads go to replicas again.
        provider.PositionSql = null; // MariaDB's own
        uow.Repository<Customer>().Add(new Customer { Name = "Cy" });
        await uow.CommitAsync();
        Assert.That(uow.ReadYourWrites?.ToString(), Does.StartWith("gtid:"));
        Assert.That(await uow.Repository<Customer>().Query().CountAsync(), Is.EqualTo(4));
        Assert.That(routes.Reasons, Has.Count.EqualTo(1), "the read was routed again");
    }

    [Test]
    public async Task A_MariaDB_primary_and_replica_behind_a_proxy_announcing_MySQL_8_still_commit_and_route_reads_to_the_replica()
    {
        // ProxySQL announces its own version (8.0.x) in front of MariaDB: Premix must judge the servers by what they
        // answer, not by that string. Both relays rewrite the greeting as such a proxy does.
        await using var primaryRelay = new TcpRelay("127.0.0.1", (int)new MySqlConnectionStringBuilder(ConnectionString).Port) { AnnouncedVersion = "8.0.11" };
        await using var replicaRelay = new TcpRelay("127.0.0.1", (int)new MySqlConnectionStringBuilder(_replica).Port) { AnnouncedVersion = "8.0.11" };
        var primary = new MySqlConnectionStringBuilder(ConnectionString) { Server = "127.0.0.1", Port = (uint)primaryRelay.Port, SslMode = MySqlSslMode.None }.ConnectionString;
        await using (var probe = new MySqlConnection(primary))
        {
            await probe.OpenAsync();
            Assert.That(probe.ServerVersion, Is.EqualTo("8.0.11"), "the driver sees MySQL 8");
        }

        await using var premix = PremixFactory.Create(p => p.UseMySql(primary).AddModelConfiguration(new CustomerMap()).WithReadReplicas(Through(replicaRelay))
            .ConfigureReadReplicas(o => o.MaxWait = TimeSpan.FromSeconds(5))); // the read waits (at most 5 s) for the replica to apply the commit
        using var routes = new RouteCounter(DatabaseName);
        await using var uow = premix.BeginUnitOfWork();
        var ada = new Customer { Name = "Ada", Visits = 3 };
        uow.Repository<Customer>().Add(ada);

        await uow.CommitAsync(); // before the fix: NotSupportedException, nothing written

        Assert.That(await ScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")} WHERE {Q("Id")} = @id", new { id = ada.Id }), Is.EqualTo(3), "on the primary");
        Assert.That(uow.ReadYourWrites?.ToString(), Does.Match("^gtid:0-1-[0-9]+$"), "its GTID was read");
        Assert.That(await uow.Raw("SELECT @@server_id").ReadOnly().ScalarAs<int>(), Is.EqualTo(2), "the read waited for the commit on the replica");
        Assert.That(routes.Reasons, Is.EqualTo(new[] { "replica: token met" }));
    }

    // A user of this fixture's database with only the given privileges (and a global one), made on the primary; it
    // reaches the replica through replication. Dropped by the TearDown.
    private async Task<string> ReplicaUserAsync(string privileges, string? global)
    {
        var user = "prx" + Guid.NewGuid().ToString("N")[..12];
        _users.Add(user);
        await ExecuteAsync($"CREATE USER '{user}'@'%' IDENTIFIED BY 'premix-ro'");
        await ExecuteAsync($"GRANT {privileges} ON {Q(DatabaseName)}.* TO '{user}'@'%'");
        if (global is not null)
        {
            await ExecuteAsync($"GRANT {global} ON *.* TO '{user}'@'%'");
        }

        await ReplicaCaughtUpAsync();
        return new MySqlConnectionStringBuilder(_replica) { UserID = user, Password = "premix-ro" }.ConnectionString;
    }

    private async Task DropUsersAsync()
    {
        foreach (var user in _users)
        {
            await ExecuteAsync($"DROP USER IF EXISTS '{user}'@'%'");
        }

        _users.Clear();
    }

    /// <summary>The MariaDB provider with another statement to read the position after COMMIT (its own when <see langword="null"/>).</summary>
    private sealed class PositionSqlProvider(MySqlProvider inner, string? positionSql) : IDatabaseProvider, IReadReplicaProvider, IAsyncDisposable
    {
        private readonly IDatabaseProvider _inner = inner;
        private readonly IReadReplicaProvider _replicas = inner;

        public string? PositionSql { get; set; } = positionSql;

        public string Name => _inner.Name;

        public ISqlDialect Dialect => _inner.Dialect;

        public bool CompletesSynchronously => _inner.CompletesSynchronously;

        public ConnectionSettings? Connections => _inner.Connections;

        public DatabaseTarget Target => _inner.Target;

        public string PositionScheme => _replicas.PositionScheme;

        public string CommitPositionSql => PositionSql ?? _replicas.CommitPositionSql;

        public string ReplicaStatusSql => _replicas.ReplicaStatusSql;

        public bool IsPoolExhausted(Exception error) => _inner.IsPoolExhausted(error);

        public DatabaseErrorKind Classify(Exception error) => _inner.Classify(error);

        public ConstraintViolation? DescribeConstraintViolation(Exception error) => _inner.DescribeConstraintViolation(error);

        public ConnectionFailure DescribeConnectionFailure(Exception error) => _inner.DescribeConnectionFailure(error);

        public CancellationTokenRegistration CancelOnToken(DbConnection connection, CancellationToken cancellationToken) => _inner.CancelOnToken(connection, cancellationToken);

        public long? LastInsertedRowId(DbConnection connection) => _inner.LastInsertedRowId(connection);

        public DbConnection CreateConnection() => _inner.CreateConnection();

        public IDatabaseProvider CreateReadReplica(string connectionString, ConnectionSettings? settings) => _replicas.CreateReadReplica(connectionString, settings);

        public (string? Position, double Lag) ReadReplicaStatus(DbDataReader reader) => _replicas.ReadReplicaStatus(reader);

        public bool IsReadOnlyRefusal(Exception error) => _replicas.IsReadOnlyRefusal(error);

        public bool IsPositionReadFailure(Exception error) => _replicas.IsPositionReadFailure(error);

        public bool IsCommandTimeout(Exception error) => _replicas.IsCommandTimeout(error);

            public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
