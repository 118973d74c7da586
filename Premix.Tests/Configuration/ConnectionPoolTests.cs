using System.Collections.Concurrent;
using System.Data;
using Microsoft.Data.Sqlite;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Configuration;

/// <summary>
/// A pool of 4 under 32 concurrent units of work: every one completes and every connection is given back; a pool held
/// full for longer than the connect timeout gives one clear error naming the pool size and the timeout. "Given back" is
/// what the driver's pool meter and the server's session list say (on SQLite, the process's open files), never Premix's
/// own counter alone. SQLite has no sized pool: a fifth unit of work there opens a connection of its own.
/// </summary>
public sealed class ConnectionPoolTests(Engine engine) : PremixTest(engine)
{
    private const int PoolSize = 4;

    [Test]
    public async Task Thirty_two_units_of_work_share_a_pool_of_four_and_give_every_connection_back()
    {
        using var telemetry = new TelemetryCapture();
        using var driver = new DriverPoolMetrics();
        var application = ApplicationName();
        var premix = CreateSmallPool(TimeSpan.FromSeconds(15), application);
        var sessions = new ConcurrentBag<long>();

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(async i =>
        {
            await using var uow = premix.BeginUnitOfWork();
            var value = await uow.Raw("SELECT @i", new { i }).ReadOnly().ScalarAs<int>();
            if (Engine != Engine.Sqlite)
            {
                sessions.Add(await uow.Raw(SessionIdSql).ReadOnly().ScalarAs<long>()); // the server's own id of the session
            }

            await Task.Delay(20); // hold the connection a little, as a request would
            return value;
        }));

        var seen = sessions.Distinct().ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(results, Is.EqualTo(Enumerable.Range(0, 32)));
            Assert.That(telemetry.Measurements(PremixDiagnostics.ActiveConnections, DatabaseName).Sum(m => m.Value), Is.Zero, "every connection was given back");
            Assert.That(premix.Connections!.MaxPoolSize, Engine == Engine.Sqlite ? Is.Null : Is.EqualTo(PoolSize));
            if (Engine != Engine.Sqlite)
            {
                Assert.That(driver.UsedConnections(Engine, application), Is.Zero, "the driver has every connection back in its pool");
                Assert.That(seen, Has.Length.InRange(1, PoolSize), "the server saw no more sessions than the pool holds");
                Assert.That(await SessionStatesAsync(seen), Is.EqualTo(seen.Select(_ => "idle")), "every session is alive, idle and outside any transaction");
            }
        }

        var pool = premix.Provider.CreateConnection();
        await premix.DisposeAsync(); // closes the PostgreSQL and MariaDB data sources, and with them their idle connections
        if (Engine == Engine.Sqlite)
        {
            // Microsoft.Data.Sqlite keeps idle connections open until their pool is cleared; one still open after that was never given back.
            SqliteConnection.ClearPool((SqliteConnection)pool);
            SqliteConnection.ClearPool((SqliteConnection)Provider.CreateConnection());
            Assert.That(OpenFiles.Count(DatabaseName), Is.Zero, "no connection of the process still has the database file open");
        }
        else
        {
            Assert.That(await SessionsLeftAsync(seen), Is.Empty, "closing the pool ended every session: none was kept aside, out of it");
        }
    }

    [Test]
    public async Task A_pool_held_full_past_the_timeout_gives_one_clear_error_and_SQLite_with_no_pool_limit_opens_a_fifth_connection()
    {
        var premix = CreateSmallPool(TimeSpan.FromSeconds(1), ApplicationName());
        var held = new List<IUnitOfWork>();
        try
        {
            for (var i = 0; i < PoolSize; i++)
            {
                // A unit of work holds a connection only in a transaction: a statement not marked read-only begins one,
                // kept until disposed. Read uncommitted makes SQLite begin it deferred, so four can be open at once.
                var uow = premix.BeginUnitOfWork(IsolationLevel.ReadUncommitted);
                held.Add(uow);
                await uow.Raw("SELECT 1").ScalarAs<int>();
            }

            await using var fifth = premix.BeginUnitOfWork();
            if (Engine == Engine.Sqlite)
            {
                // SQLite is in-process: its "pool" only caches open files and never makes anyone wait.
                var openBefore = OpenFiles.Count(DatabaseName);
                Assert.That(await fifth.Raw("SELECT 1").ReadOnly().ScalarAs<int>(), Is.EqualTo(1));
                Assert.That(OpenFiles.Count(DatabaseName), Is.EqualTo(openBefore + 1), "the fifth opened the database file once more, beside the four");
            }
            else
            {
                var error = Assert.ThrowsAsync<ConnectionPoolExhaustedException>(() => fifth.Raw("SELECT 1").ReadOnly().ScalarAs<int>());
                using (Assert.EnterMultipleScope())
                {
                    Assert.That(error!.MaxPoolSize, Is.EqualTo(PoolSize));
                    Assert.That(error.Timeout, Is.EqualTo(TimeSpan.FromSeconds(1)));
                    Assert.That(error.Message, Does.Contain("all 4 connections").And.Contain("within 1 s").And.Contain("MaxPoolSize"));
                }
            }
        }
        finally
        {
            foreach (var uow in held)
            {
                await uow.DisposeAsync();
            }
        }

        await using var after = premix.BeginUnitOfWork();
        Assert.That(await after.Raw("SELECT 1").ReadOnly().ScalarAs<int>(), Is.EqualTo(1), "once given back, the pool serves again");
    }

    // Each test's pool is its own: the application name differs from every other connection string's, so the driver
    // keeps a separate pool that no other test shares, and names it (and its meters) after the application.
    private static string ApplicationName() => "pool-test-" + Guid.NewGuid().ToString("N")[..8];

    private IPremix CreateSmallPool(TimeSpan timeout, string application) => PremixFactory.Create(p =>
    {
        _ = Engine switch
        {
            Engine.Sqlite => p.UseSqlite(ConnectionString),
            Engine.PostgreSql => p.UsePostgreSql(ConnectionString + ";Application Name=" + application),
            _ => p.UseMySql(ConnectionString + ";Application Name=" + application),
        };
        p.ConfigureConnectionPool(o =>
        {
            o.MaxPoolSize = PoolSize;
            o.ConnectTimeout = timeout;
        }).AllowEmptyModel();
    });

    private string SessionIdSql => ServerSessions.IdSql(Engine);

    private async Task<List<string>> SessionStatesAsync(long[] ids)
    {
        await using var connection = await OpenConnectionAsync();
        return await ServerSessions.StatesAsync(Engine, connection, ids);
    }

    // The sessions still on the server, waiting for ones being closed to go (the server ends them a moment after the client).
    private async Task<List<string>> SessionsLeftAsync(long[] ids)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var left = await SessionStatesAsync(ids);
        while (left.Count > 0 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
            left = await SessionStatesAsync(ids);
        }

        return left;
    }
}
