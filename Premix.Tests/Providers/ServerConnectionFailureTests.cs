using System.Net;
using System.Net.Sockets;
using MySqlConnector;
using Npgsql;
using Premix.Providers;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Providers;

/// <summary>
/// A PostgreSQL or MariaDB server that cannot be reached, does not answer, has no such database or refuses the
/// credentials: every way in throws one <see cref="DatabaseConnectionException"/> naming the engine, host, port,
/// database and the driver's reason, never the password, within the connect timeout. SQLite has no server: its
/// failures (a missing folder or file, a file that is not a database) are in <see cref="SqliteConnectionFailureTests"/>.
/// </summary>
[TestFixture(Engine.PostgreSql)]
[TestFixture(Engine.MySql)]
public sealed class ServerConnectionFailureTests(Engine engine)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    // For a server that answers at once (a closed port refuses; a running server names a missing database or refuses the
    // credentials): the timeout is not what these tests prove, so one far above the bound changes nothing they prove. With
    // 2 s a stalled CI run reported a refusal as a timeout (13:44 UTC), a timeout, not retried while the server was never
    // reached, most likely made a commit's default six retries five (CI at 16:58 UTC, load 30), and a loaded CI run
    // reported a missing PostgreSQL database as TimedOut.
    private static readonly TimeSpan AnsweringConnectTimeout = TimeSpan.FromSeconds(30);

    // A behaviour bound, not a measurement: generous for a loaded machine, far above the small retries below (at most
    // 3 × 200 ms). The tests of an answering server prove "not retried" by the retry telemetry, the bound only that the
    // answer came without waiting out a timeout.
    private static readonly TimeSpan Bound = ConnectTimeout + TimeSpan.FromSeconds(4);

    // The server that never answers: each entry point waits out the 2 s timeout once, which took up to 9.3 s on a loaded
    // machine with no retry in it (2026-12-07, helpers' builds at load 20–40). "Not retried" is proven by the retry
    // telemetry of every operation, so this bound proves only that the configured timeout applied, not the drivers'
    // default of 15 s.
    private static readonly TimeSpan SilentBound = TimeSpan.FromSeconds(12);

    // Explicit and small, so the bound above leaves room on a loaded machine; only the test of the defaults uses them.
    private const int SmallRetries = 3;

    private TelemetryCapture _telemetry = null!;

    private string System => engine == Engine.PostgreSql ? "postgresql" : "mysql";

    [SetUp]
    public void CaptureTelemetry() => _telemetry = new TelemetryCapture();

    [TearDown]
    public void StopCapturingTelemetry() => _telemetry.Dispose();

    [Test]
    public async Task A_closed_port_fails_at_once_as_unreachable_naming_engine_host_port_database_and_reason()
    {
        var port = ClosedPort();
        var database = UniqueName();
        await using var premix = Create(ConnectionString("127.0.0.1", port, database, "premix_app"), connectTimeout: AnsweringConnectTimeout);

        var failures = ConnectionFailures.AssertEveryEntryPointFails(
            premix, ConnectionFailureKind.Unreachable, Bound, $"Could not connect to {System} at 127.0.0.1:{port}, database '{database}'", "nothing accepted the connection");

        var first = failures[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That((first.System, first.Host, first.Port, first.Database, first.IsTransient), Is.EqualTo((System, "127.0.0.1", (int?)port, database, true)));
            // The driver's own words: Npgsql passes the socket's "Connection refused" on; MySqlConnector says only that.
            Assert.That(first.Reason, Does.Contain(engine == Engine.PostgreSql ? "Connection refused" : "Unable to connect to any of the specified MySQL hosts"));
            Assert.That(first.InnerException, Is.InstanceOf<System.Data.Common.DbException>());
        }
    }

    [Test]
    public async Task A_commit_retries_an_unreachable_server_as_transient_then_throws_the_connection_exception()
    {
        var database = UniqueName();
        await using var premix = Create(ConnectionString("127.0.0.1", ClosedPort(), database, "premix_app"), defaultResilience: true, connectTimeout: AnsweringConnectTimeout);

        var error = Assert.CatchAsync(() => ConnectionFailures.EntryPoints.Single(e => e.Name == "a commit").Run(premix));

        Assert.That(error, Is.TypeOf<DatabaseConnectionException>());
        Assert.That(Retries(database, "commit"), Is.EqualTo(6), "the default retries: a server restarting may be back");
    }

    [Test]
    public async Task A_read_and_a_raw_write_retry_opening_an_unreachable_server_as_a_commit_does()
    {
        var database = UniqueName();
        await using var premix = Create(ConnectionString("127.0.0.1", ClosedPort(), database, "premix_app"), connectTimeout: AnsweringConnectTimeout);

        var read = Assert.CatchAsync(() => ConnectionFailures.EntryPoints.Single(e => e.Name == "a read in a unit of work").Run(premix));
        var write = Assert.CatchAsync(() => premix.Raw("UPDATE nowhere SET x = 1").ExecuteAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(read, Is.TypeOf<DatabaseConnectionException>());
            Assert.That(write, Is.TypeOf<DatabaseConnectionException>());
            Assert.That(Retries(database, "read"), Is.EqualTo(SmallRetries), "nothing was sent: the read runs again, as the options allow");
            Assert.That(Retries(database, "connect"), Is.EqualTo(SmallRetries), "nothing was sent: the write's connection is opened again (the write itself is never run twice)");
        }
    }

    [Test]
    public async Task A_raw_write_does_not_open_its_connection_again_when_commits_are_not_retried()
    {
        var database = UniqueName();
        await using var premix = Create(ConnectionString("127.0.0.1", ClosedPort(), database, "premix_app"), retryCommits: false, connectTimeout: AnsweringConnectTimeout);

        var write = Assert.CatchAsync(() => premix.Raw("UPDATE nowhere SET x = 1").ExecuteAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(write, Is.TypeOf<DatabaseConnectionException>());
            Assert.That(Retries(database, "connect"), Is.Zero, "RetryCommits = false turns off every retry on the write path");
        }
    }

    [Test]
    public async Task A_server_that_never_answers_fails_within_the_connect_timeout_and_is_not_retried()
    {
        // Accepts the TCP connection (the kernel does) and then says nothing, like a hung server or a dropping firewall.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var database = UniqueName();
        await using var premix = Create(ConnectionString("127.0.0.1", port, database, "premix_app"));

        var failures = ConnectionFailures.AssertEveryEntryPointFails(
            premix, ConnectionFailureKind.TimedOut, SilentBound, $"at 127.0.0.1:{port}, database '{database}'", "no answer within the connect timeout of 2 s");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failures[0].IsTransient, Is.True);
            foreach (var operation in new[] { "commit", "read", "connect" })
            {
                Assert.That(Retries(database, operation), Is.Zero, $"{operation}: the timeout was the time the caller gave connecting; a retry would multiply it");
            }
        }
    }

    [Test]
    public async Task A_database_that_does_not_exist_is_named_and_not_retried()
    {
        var (host, port, user, password) = Server();
        var database = UniqueName();
        await using var premix = Create(ConnectionString(host, port, database, user, password), connectTimeout: AnsweringConnectTimeout);

        var failures = ConnectionFailures.AssertEveryEntryPointFails(
            premix, ConnectionFailureKind.DatabaseNotFound, Bound, $"Could not connect to {System} at {host}:{port}, database '{database}'", "the database does not exist");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failures[0].Reason, Does.Contain(database), "the server's own words name it");
            Assert.That(failures[0].IsTransient, Is.False);
            Assert.That(Retries(database, "commit"), Is.Zero);
        }
    }

    [Test]
    public async Task Refused_credentials_fail_as_authentication_naming_the_user_and_never_the_password()
    {
        var (host, port, user, _) = Server();
        // PostgreSQL's test server trusts every known role, so the refused login is a role it does not know; MariaDB's
        // user exists and the password is wrong. Either way the server refuses the credentials.
        var login = engine == Engine.PostgreSql ? "premix_nobody" : user;
        var database = engine == Engine.PostgreSql ? "postgres" : null;
        await using var premix = Create(ConnectionString(host, port, database, login, ConnectionFailures.Password), connectTimeout: AnsweringConnectTimeout);

        var failures = ConnectionFailures.AssertEveryEntryPointFails(
            premix, ConnectionFailureKind.AuthenticationFailed, Bound, $"Could not connect to {System} at {host}:{port}", "the server refused the credentials", login);

        Assert.That(failures[0].IsTransient, Is.False);
    }

    [Test]
    public async Task A_password_the_driver_repeats_is_masked_in_the_message_and_in_the_driver_exception()
    {
        var (host, port, _, _) = Server();
        // A user named like the password: the server's refusal quotes the user name, and with it the password.
        var database = engine == Engine.PostgreSql ? "postgres" : null;
        await using var premix = Create(ConnectionString(host, port, database, ConnectionFailures.Password, ConnectionFailures.Password), connectTimeout: AnsweringConnectTimeout);

        var failures = ConnectionFailures.AssertEveryEntryPointFails(premix, ConnectionFailureKind.AuthenticationFailed, Bound, "***");

        Assert.That(failures[0].InnerException, Is.TypeOf<RedactedDatabaseException>(), "the driver's exception held the password: a masked copy stands in for it");
    }

    private IPremix Create(string connectionString, bool defaultResilience = false, bool retryCommits = true, TimeSpan? connectTimeout = null) =>
        PremixFactory.Create(p =>
        {
            _ = engine == Engine.PostgreSql ? p.UsePostgreSql(connectionString) : p.UseMySql(connectionString);
            p.AddModelConfiguration(new CustomerMap()).ConfigureConnectionPool(o => o.ConnectTimeout = connectTimeout ?? ConnectTimeout);
            if (!defaultResilience)
            {
                p.ConfigureResilience(r => (r.MaxRetries, r.BaseDelay, r.MaxDelay, r.RetryCommits) = (SmallRetries, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200), retryCommits));
            }
        });

    private string ConnectionString(string host, int port, string? database, string user, string password = ConnectionFailures.Password) =>
        engine == Engine.PostgreSql
            ? new NpgsqlConnectionStringBuilder { Host = host, Port = port, Database = database, Username = user, Password = password }.ConnectionString
            : new MySqlConnectionStringBuilder { Server = host, Port = (uint)port, Database = database ?? string.Empty, UserID = user, Password = password }.ConnectionString;

    /// <summary>The test server's address and login.</summary>
    private (string Host, int Port, string User, string Password) Server()
    {
        var admin = TestEnvironment.RequireAdminConnectionString(engine);
        if (engine == Engine.PostgreSql)
        {
            var pg = new NpgsqlConnectionStringBuilder(admin);
            return (pg.Host!, pg.Port, pg.Username!, pg.Password ?? string.Empty);
        }

        var my = new MySqlConnectionStringBuilder(admin);
        return (my.Server, (int)my.Port, my.UserID, my.Password);
    }

    private long Retries(string database, string operation) =>
        _telemetry.Measurements(PremixDiagnostics.Retries, database).Where(m => Equals(m.Tag("premix.retry.operation"), operation)).Sum(m => (long)m.Value);

    // Without "premix" in it: the test MariaDB's password is "premix", and Premix masks it wherever the driver's words repeat it.
    private static string UniqueName() => "absent_" + Guid.NewGuid().ToString("N")[..12];

    // A port that was free a moment ago: nothing listens on it, so the kernel refuses the connection at once.
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
