using Premix.Tests.Infrastructure;

namespace Premix.Tests.Configuration;

/// <summary>
/// A pool of 4 under 32 concurrent units of work: every one completes and every connection is given back; a pool held
/// full for longer than the connect timeout gives one clear error naming the pool size and the timeout.
/// </summary>
public sealed class ConnectionPoolTests(Engine engine) : PremixTest(engine)
{
    private const int PoolSize = 4;

    [Test]
    public async Task Thirty_two_units_of_work_share_a_pool_of_four_and_give_every_connection_back()
    {
        using var telemetry = new TelemetryCapture();
        var premix = CreateSmallPool(TimeSpan.FromSeconds(15));

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(async i =>
        {
            await using var uow = premix.BeginUnitOfWork();
            var value = await uow.Raw("SELECT @i", new { i }).ReadOnly().ScalarAs<int>();
            await Task.Delay(20); // hold the connection a little, as a request would
            return value;
        }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(results, Is.EqualTo(Enumerable.Range(0, 32)));
            Assert.That(telemetry.Measurements(PremixDiagnostics.ActiveConnections, DatabaseName).Sum(m => m.Value), Is.Zero, "every connection was given back");
            Assert.That(premix.Connections!.MaxPoolSize, Engine == Engine.Sqlite ? Is.Null : Is.EqualTo(PoolSize));
        }
    }

    [Test]
    public async Task A_pool_held_full_past_the_timeout_gives_one_clear_error()
    {
        var premix = CreateSmallPool(TimeSpan.FromSeconds(1));
        var held = new List<IUnitOfWork>();
        try
        {
            for (var i = 0; i < PoolSize; i++)
            {
                var uow = premix.BeginUnitOfWork();
                held.Add(uow);
                await uow.Raw("SELECT 1").ReadOnly().ScalarAs<int>(); // takes a connection and keeps it until disposed
            }

            await using var fifth = premix.BeginUnitOfWork();
            if (Engine == Engine.Sqlite)
            {
                // SQLite is in-process: its "pool" only caches open files and never makes anyone wait.
                Assert.That(await fifth.Raw("SELECT 1").ReadOnly().ScalarAs<int>(), Is.EqualTo(1));
                return;
            }

            var error = Assert.ThrowsAsync<ConnectionPoolExhaustedException>(() => fifth.Raw("SELECT 1").ReadOnly().ScalarAs<int>());
            using (Assert.EnterMultipleScope())
            {
                Assert.That(error!.MaxPoolSize, Is.EqualTo(PoolSize));
                Assert.That(error.Timeout, Is.EqualTo(TimeSpan.FromSeconds(1)));
                Assert.That(error.Message, Does.Contain("all 4 connections").And.Contain("within 1 s").And.Contain("MaxPoolSize"));
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

    // A pool of its own: the connection string differs from the fixture's (Application Name / pool settings), so the
    // driver keeps a separate pool that no other test shares.
    private IPremix CreateSmallPool(TimeSpan timeout) => PremixFactory.Create(p =>
    {
        _ = Engine switch
        {
            Engine.Sqlite => p.UseSqlite(ConnectionString),
            Engine.PostgreSql => p.UsePostgreSql(ConnectionString + ";Application Name=pool-test-" + timeout.TotalSeconds),
            _ => p.UseMySql(ConnectionString + ";Application Name=pool-test-" + timeout.TotalSeconds),
        };
        p.ConfigureConnectionPool(o =>
        {
            o.MaxPoolSize = PoolSize;
            o.ConnectTimeout = timeout;
        }).AllowEmptyModel();
    });
}
