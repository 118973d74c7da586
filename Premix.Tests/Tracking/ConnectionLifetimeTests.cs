using System.Collections.Concurrent;
using Dapper;
using Microsoft.Data.Sqlite;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tracking;

/// <summary>
/// A unit of work takes a pooled connection per operation and holds one only for a transaction, so requests that read,
/// work without the database and then commit never pin the pool meanwhile. Checked with the driver's pool meter and the
/// server's own session list; on SQLite, which has no sized pool and no sessions, with the process's open files and the
/// database's write lock.
/// </summary>
[NeedsServerSession("It reads the server sessions of the driver's pooled connections (pg_backend_pid, pg_stat_activity states) and the driver's pool meter; behind the pooler a client connection has no server session of its own to read.")]
public sealed class ConnectionLifetimeTests(Engine engine) : PremixTest(engine)
{
    private const int Requests = 64;

    [Test]
    public async Task Sixty_four_requests_all_between_their_read_and_their_commit_at_once_share_a_pool_of_five_and_leave_no_session_behind()
    {
        using var telemetry = new TelemetryCapture();
        using var driver = new DriverPoolMetrics();
        var application = ApplicationName();
        // 64 requests queue for five connections: on a loaded CI machine a turn can take seconds, so the wait for one is
        // long. Were a connection held per unit of work, the 59th request would still time out and fail the test.
        var premix = CreateSmallPool(5, application, poolWait: TimeSpan.FromSeconds(30));
        await RecreateTablesAsync(premix);
        await using (var connection = await OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Id")}, {Q("Name")}, {Q("Visits")}) VALUES (@id, 'c', 0)", Enumerable.Range(1, Requests).Select(id => new { id = (long)id }));
        }

        var filesBefore = Engine == Engine.Sqlite ? OpenFiles.Count(DatabaseName) : 0;
        var sessions = new ConcurrentBag<long>();
        var read = 0;
        var allRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long usedWhileAllWaited = -1;
        var filesWhileAllWaited = -1;

        await Task.WhenAll(Enumerable.Range(1, Requests).Select(async id =>
        {
            await using var uow = premix.BeginUnitOfWork();
            var customer = await uow.Repository<Customer>().GetAsync((long)id);
            if (Engine != Engine.Sqlite)
            {
                sessions.Add(await uow.Raw(ServerSessions.IdSql(Engine)).ReadOnly().ScalarAs<long>());
            }

            if (Interlocked.Increment(ref read) == Requests)
            {
                // Every request has read and none has committed: with a connection held per unit of work, 59 of them
                // would still be waiting for the pool of five, and this moment would never come.
                usedWhileAllWaited = Engine == Engine.Sqlite ? 0 : driver.UsedConnections(Engine, application);
                filesWhileAllWaited = Engine == Engine.Sqlite ? OpenFiles.Count(DatabaseName) : 0;
                allRead.SetResult();
            }

            await Task.Delay(20); // work without the database, as a request does
            await allRead.Task.WaitAsync(TimeSpan.FromSeconds(20));
            customer.Visits++;
            await uow.CommitAsync();
        }));

        var seen = sessions.Distinct().ToArray();
        await using (var connection = await OpenConnectionAsync())
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {Q("customers")} WHERE {Q("Visits")} = 1"), Is.EqualTo(Requests), "every request committed its change");
                Assert.That(telemetry.Measurements(PremixDiagnostics.ActiveConnections, DatabaseName).Sum(m => m.Value), Is.Zero, "Premix gave every connection back");
                Assert.That(usedWhileAllWaited, Is.Zero, "no connection was lent out while every request worked without the database");
                if (Engine == Engine.Sqlite)
                {
                    // Microsoft.Data.Sqlite runs every statement synchronously, so the reads took one pooled connection in
                    // turn; 64 units of work each holding theirs would have had 64 files open here.
                    Assert.That(filesWhileAllWaited, Is.LessThanOrEqualTo(filesBefore + 1), "the 64 reads shared one pooled connection");
                }
                else
                {
                    Assert.That(driver.UsedConnections(Engine, application), Is.Zero, "the driver has every connection back in its pool");
                    Assert.That(seen, Has.Length.InRange(1, 5), "the server saw no more sessions than the pool holds");
                    Assert.That(await ServerSessions.StatesAsync(Engine, connection, seen), Is.EqualTo(seen.Select(_ => "idle")), "every session is alive, idle and outside any transaction");
                    Assert.That(await ServerSessions.BusyOnDatabaseAsync(Engine, connection, DatabaseName), Is.Zero, "no session on the test database runs anything or has a transaction open");
                }
            }
        }

        await AssertNothingLeftAsync(premix, seen);
    }

    [Test]
    public async Task A_unit_of_work_holds_no_connection_between_operations_and_exactly_one_in_its_transaction()
    {
        using var driver = new DriverPoolMetrics();
        var application = ApplicationName();
        var premix = CreateSmallPool(1, application);
        await RecreateTablesAsync(premix);
        await using var check = await OpenConnectionAsync();
        await check.ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Id")}, {Q("Name")}, {Q("Visits")}) VALUES (1, 'a', 0), (2, 'b', 0)");
        var filesBefore = Engine == Engine.Sqlite ? OpenFiles.Count(DatabaseName) : 0;

        await using var uow = premix.BeginUnitOfWork();
        await using var other = premix.BeginUnitOfWork();
        await uow.Repository<Customer>().GetAsync(1L);

        // Between operations: the pool of one serves another unit of work; on SQLite, it reuses the same open file.
        Assert.That((await other.Repository<Customer>().GetAsync(2L)).Name, Is.EqualTo("b"));
        using (Assert.EnterMultipleScope())
        {
            if (Engine == Engine.Sqlite)
            {
                Assert.That(OpenFiles.Count(DatabaseName), Is.LessThanOrEqualTo(filesBefore + 1), "both reads used one pooled connection");
            }
            else
            {
                Assert.That(driver.UsedConnections(Engine, application), Is.Zero, "no connection is lent out between operations");
                Assert.That(await ServerSessions.InTransactionOnDatabaseAsync(Engine, check, DatabaseName), Is.Zero);
            }
        }

        // A write outside a commit begins the unit of work's transaction, which holds one connection until it ends.
        await uow.Raw($"UPDATE {I("customers")} SET {I("Visits")} = 7 WHERE {I("Id")} = 1").ExecuteAsync();
        var sessionInTransaction = Engine == Engine.Sqlite ? 0 : await uow.Raw(ServerSessions.IdSql(Engine)).ReadOnly().ScalarAs<long>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await uow.Raw($"SELECT {I("Visits")} FROM {I("customers")} WHERE {I("Id")} = 1").ReadOnly().ScalarAs<int>(), Is.EqualTo(7), "a read in the transaction sees its own write");
            Assert.That(await check.ExecuteScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")} WHERE {Q("Id")} = 1"), Is.Zero, "nothing is committed yet");
            if (Engine == Engine.Sqlite)
            {
                Assert.That(TryTakeWriteLock(), Is.False, "a write transaction is open on another connection");
            }
            else
            {
                Assert.That(await ServerSessions.InTransactionOnDatabaseAsync(Engine, check, DatabaseName), Is.EqualTo(1), "exactly one session holds a transaction");
                Assert.That(await ServerSessions.StatesAsync(Engine, check, [sessionInTransaction]), Has.Count.EqualTo(1).And.None.EqualTo("idle"), "the reads ran in that session");
                Assert.That(driver.UsedConnections(Engine, application), Is.EqualTo(1), "the transaction holds the pool's one connection");
                Assert.ThrowsAsync<ConnectionPoolExhaustedException>(() => other.Raw("SELECT 1").ReadOnly().ScalarAs<int>(), "the pool's one connection is held by the transaction");
            }
        }

        await uow.CommitAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await check.ExecuteScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")} WHERE {Q("Id")} = 1"), Is.EqualTo(7), "the commit saved the raw write");
            Assert.That(await other.Raw("SELECT 1").ReadOnly().ScalarAs<int>(), Is.EqualTo(1), "the connection went back to the pool with the commit");
            if (Engine == Engine.Sqlite)
            {
                Assert.That(TryTakeWriteLock(), Is.True, "no transaction is left open");
            }
            else
            {
                Assert.That(driver.UsedConnections(Engine, application), Is.Zero);
                Assert.That(await ServerSessions.InTransactionOnDatabaseAsync(Engine, check, DatabaseName), Is.Zero, "no transaction is left open");
            }
        }
    }

    [Test]
    public async Task A_stream_holds_its_connection_until_it_is_disposed_and_gives_it_back_then()
    {
        using var telemetry = new TelemetryCapture();
        var premix = CreateSmallPool(5, ApplicationName());
        await RecreateTablesAsync(premix);
        await using (var connection = await OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Id")}, {Q("Name")}, {Q("Visits")}) VALUES (1, 'a', 0), (2, 'b', 0), (3, 'c', 0)");
        }

        await using var uow = premix.BeginUnitOfWork();
        var rows = uow.Repository<Customer>().Query().OrderBy(c => c.Id).AsAsyncEnumerable().GetAsyncEnumerator();
        Assert.That(await rows.MoveNextAsync(), Is.True);
        Assert.That(Held(telemetry), Is.EqualTo(1), "the stream holds its connection between rows");
        Assert.That(await rows.MoveNextAsync(), Is.True);
        Assert.That(rows.Current.Name, Is.EqualTo("b"));

        await rows.DisposeAsync(); // left before its end
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Held(telemetry), Is.Zero, "disposing the stream gave its connection back");
            Assert.That((await uow.Repository<Customer>().GetAsync(3L)).Name, Is.EqualTo("c"), "the unit of work runs statements again");
            Assert.That(Held(telemetry), Is.Zero);
        }
    }

    [Test]
    public async Task Operations_under_HoldConnectionAsync_share_one_connection_kept_from_the_pool_until_the_hold_is_disposed()
    {
        using var driver = new DriverPoolMetrics();
        var application = ApplicationName();
        var premix = CreateSmallPool(1, application);
        await RecreateTablesAsync(premix);
        await using var check = await OpenConnectionAsync();
        await check.ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Id")}, {Q("Name")}, {Q("Visits")}) VALUES (1, 'a', 0), (2, 'b', 0)");
        SqliteConnection.ClearAllPools(); // idle SQLite connections keep the file open: count only the ones opened from here on
        var filesBefore = Engine == Engine.Sqlite ? OpenFiles.Count(DatabaseName) : 0;

        await using var uow = premix.BeginUnitOfWork();
        await using var other = premix.BeginUnitOfWork();
        var hold = await uow.HoldConnectionAsync();
        var first = await uow.Repository<Customer>().GetAsync(1L);
        using (Assert.EnterMultipleScope())
        {
            if (Engine == Engine.Sqlite)
            {
                Assert.That((await other.Repository<Customer>().GetAsync(2L)).Name, Is.EqualTo("b"));
                Assert.That(OpenFiles.Count(DatabaseName), Is.EqualTo(filesBefore + 2), "the held connection stayed open, so the other unit of work opened a second one");
            }
            else
            {
                var session = await uow.Raw(ServerSessions.IdSql(Engine)).ReadOnly().ScalarAs<long>();
                Assert.That(await uow.Raw(ServerSessions.IdSql(Engine)).ReadOnly().ScalarAs<long>(), Is.EqualTo(session), "both statements ran in one server session");
                Assert.That(driver.UsedConnections(Engine, application), Is.EqualTo(1), "the hold keeps the connection lent out between operations");
                Assert.ThrowsAsync<ConnectionPoolExhaustedException>(() => other.Repository<Customer>().GetAsync(2L), "the pool's one connection is held");
            }
        }

        first.Visits = 5;
        await uow.CommitAsync();
        Assert.That(await check.ExecuteScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")} WHERE {Q("Id")} = 1"), Is.EqualTo(5), "a commit under a hold lands");
        if (Engine != Engine.Sqlite)
        {
            Assert.That(driver.UsedConnections(Engine, application), Is.EqualTo(1), "the commit's end does not give back a held connection");
        }

        await hold.DisposeAsync();
        await hold.DisposeAsync(); // a second dispose does nothing
        using (Assert.EnterMultipleScope())
        {
            Assert.That((await other.Repository<Customer>().GetAsync(2L)).Name, Is.EqualTo("b"), "the pool's connection serves others again");
            if (Engine != Engine.Sqlite)
            {
                Assert.That(driver.UsedConnections(Engine, application), Is.Zero, "disposing the hold gave the connection back");
                Assert.That(await ServerSessions.BusyOnDatabaseAsync(Engine, check, DatabaseName), Is.Zero, "no session runs anything or has a transaction open");
            }
        }
    }

    [Test]
    public async Task A_held_connection_goes_back_with_its_unit_of_work_and_disposing_the_hold_after_that_does_nothing()
    {
        var premix = CreateSmallPool(1, ApplicationName());
        await RecreateTablesAsync(premix);
        var uow = premix.BeginUnitOfWork();
        using var hold = uow.HoldConnection();
        await uow.DisposeAsync();
        Assert.DoesNotThrow(hold.Dispose);

        await using var other = premix.BeginUnitOfWork();
        Assert.That(await other.Raw("SELECT 1").ReadOnly().ScalarAs<int>(), Is.EqualTo(1), "disposing the unit of work gave its held connection back to the pool of one");
    }

    private double Held(TelemetryCapture telemetry) => telemetry.Measurements(PremixDiagnostics.ActiveConnections, DatabaseName).Sum(m => m.Value);

    // SQLite: whether a connection of the fixture's own can take the database's write lock within a second (0 would wait forever).
    private bool TryTakeWriteLock()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(ConnectionString) { DefaultTimeout = 1, Pooling = false }.ToString());
        connection.Open();
        try
        {
            connection.Execute("BEGIN IMMEDIATE");
            connection.Execute("ROLLBACK");
            return true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 5) // SQLITE_BUSY
        {
            return false;
        }
    }

    private async Task AssertNothingLeftAsync(IPremix premix, long[] seen)
    {
        var pool = premix.Provider.CreateConnection();
        await premix.DisposeAsync(); // closes the PostgreSQL and MariaDB data sources, and with them their idle connections
        if (Engine == Engine.Sqlite)
        {
            // Microsoft.Data.Sqlite keeps idle connections open until their pool is cleared; one still open after that was never given back.
            SqliteConnection.ClearPool((SqliteConnection)pool);
            SqliteConnection.ClearPool((SqliteConnection)Provider.CreateConnection());
            Assert.That(OpenFiles.Count(DatabaseName), Is.Zero, "no connection of the process still has the database file open");
            return;
        }

        await using var connection = await OpenConnectionAsync();
        var left = await ServerSessions.StatesAsync(Engine, connection, seen);
        for (var waited = 0; left.Count > 0 && waited < 200; waited++)
        {
            await Task.Delay(50); // the server ends a session a moment after the client closes it
            left = await ServerSessions.StatesAsync(Engine, connection, seen);
        }

        Assert.That(left, Is.Empty, "closing the pool ended every session: none was kept aside, out of it");
    }

    private static string ApplicationName() => "lifetime-" + Guid.NewGuid().ToString("N")[..8];

    // poolWait: how long a request waits for a pooled connection before ConnectionPoolExhaustedException (2 s by default,
    // which the tests expecting that exception wait through).
    private IPremix CreateSmallPool(int size, string application, TimeSpan? poolWait = null) => PremixFactory.Create(p =>
    {
        _ = Engine switch
        {
            Engine.Sqlite => p.UseSqlite(ConnectionString),
            Engine.PostgreSql => p.UsePostgreSql(ConnectionString + ";Application Name=" + application),
            _ => p.UseMySql(ConnectionString + ";Application Name=" + application),
        };
        p.ConfigureConnectionPool(o =>
        {
            o.MaxPoolSize = size;
            o.ConnectTimeout = poolWait ?? TimeSpan.FromSeconds(2);
        }).AddModelConfiguration(new CustomerMap());
    });
}
