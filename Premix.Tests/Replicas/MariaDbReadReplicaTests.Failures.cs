using System.Data.Common;
using Dapper;
using MySqlConnector;
using Premix.Providers;
using Premix.Providers.MySql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Replicas;

/// <summary>
/// MariaDB replicas in the setups the documentation recommends and when a statement of the routing fails: a replica user
/// without SUPER (so <c>read_only</c> itself refuses writes, error 1290), one without the privilege the status needs, and
/// a commit whose position read fails after COMMIT was answered, and servers that announce themselves as Oracle MySQL.
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
        await using var premix = PremixFactory.Create(p => p.UseProvider(provider).AddModelConfiguration(new CustomerMap()).WithReadReplicas(_replica));
        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<Customer>().Add(new Customer { Name = "Ada" });

        Assert.DoesNotThrowAsync(() => uow.CommitAsync(), "the commit landed: its position's failure is not a failed commit");
        Assert.That(await CountRowsAsync("customers"), Is.EqualTo(1), "on the primary, once");
        Assert.That(uow.ReadYourWrites, Is.Null, "no position was read");

        using var routes = new RouteCounter(DatabaseName);
        Assert.That(await uow.Repository<Customer>().Query().CountAsync(), Is.EqualTo(1));
        Assert.That(routes.Reasons, Is.Empty, "the unit of work's read went to the primary without asking the router");

        // A later commit with an empty position (nothing to wait for) does not cover the first one: still the primary.
        provider.PositionSql = "SELECT ''";
        uow.Repository<Customer>().Add(new Customer { Name = "Bo" });
        await uow.CommitAsync();
        Assert.That(await uow.Repository<Customer>().Query().CountAsync(), Is.EqualTo(2));
        Assert.That(routes.Reasons, Is.Empty, "an empty position did not lift the primary-only state");

        // A commit that reads its position (past the first's: one domain, in commit order) lets reads go to replicas again.
        provider.PositionSql = null; // MariaDB's own
        uow.Repository<Customer>().Add(new Customer { Name = "Cy" });
        await uow.CommitAsync();
        Assert.That(uow.ReadYourWrites?.ToString(), Does.StartWith("gtid:"));
        Assert.That(await uow.Repository<Customer>().Query().CountAsync(), Is.EqualTo(3));
        Assert.That(routes.Reasons, Has.Count.EqualTo(1), "the read was routed again");
    }

    [Test]
    public async Task A_read_and_a_commit_on_servers_announcing_Oracle_MySQL_fail_with_NotSupportedException_and_write_nothing()
    {
        // No MySQL 8 server runs here: the provider reads the real MariaDB's connections as if they announced MySQL 8.0.36.
        var provider = new PositionSqlProvider(new MySqlProvider(ConnectionString), null) { AnnouncedVersion = "8.0.36" };
        await using var premix = PremixFactory.Create(p => p.UseProvider(provider).AddModelConfiguration(new CustomerMap()).WithReadReplicas(_replica));
        using var routes = new RouteCounter(DatabaseName);

        var read = Assert.ThrowsAsync<NotSupportedException>(() => premix.Raw("SELECT @@server_id").ReadOnly().ScalarAs<int>());
        Assert.That(read!.Message, Does.StartWith("The read replica").And.Contains("Oracle MySQL (8.0.36)").And.Contains("Remove WithReadReplicas"));

        await using var uow = premix.BeginUnitOfWork();
        uow.Repository<Customer>().Add(new Customer { Name = "Ada" });
        var commit = Assert.ThrowsAsync<NotSupportedException>(() => uow.CommitAsync());
        Assert.That(commit!.Message, Does.StartWith("The primary").And.Contains("@@last_gtid"));

        Assert.That(await CountRowsAsync("customers"), Is.Zero, "the commit was refused before anything was written");
        Assert.That(routes.Reasons, Is.Empty, "no read was routed anywhere, not quietly to the primary either");
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

    /// <summary>The MariaDB provider with another statement to read the position after COMMIT (its own when <see langword="null"/>), or another server version.</summary>
    private sealed class PositionSqlProvider(MySqlProvider inner, string? positionSql) : IDatabaseProvider, IReadReplicaProvider, IAsyncDisposable
    {
        private readonly IDatabaseProvider _inner = inner;
        private readonly IReadReplicaProvider _replicas = inner;

        public string? PositionSql { get; set; } = positionSql;

        /// <summary>The version the servers are taken to announce (the real one when <see langword="null"/>).</summary>
        public string? AnnouncedVersion { get; set; }

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

        public string? UnsupportedServer(DbConnection connection, bool isReplica) =>
            AnnouncedVersion is { } version ? MySqlReadReplicas.Unsupported(version, connection.DataSource, isReplica) : _replicas.UnsupportedServer(connection, isReplica);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
