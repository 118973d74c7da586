using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations.Versioned;

/// <summary>The migration lock: concurrent migrators apply each migration once, and the lock never outlives its session.</summary>
public sealed class MigrationLockTests(Engine engine) : MigrationTest(engine)
{
    [Test]
    public async Task Two_concurrent_migrators_apply_each_migration_exactly_once()
    {
        Write(V1, "create_counter", "CREATE TABLE counter (id INTEGER PRIMARY KEY, note VARCHAR(20));");
        Write(V2, "slow_count", SlowStatement() + "\nINSERT INTO counter (id, note) VALUES (1, 'slow');");
        Write(V3, "count", "INSERT INTO counter (id, note) VALUES (2, 'fast');");
        var first = CreatePremix();
        var second = CreatePremix();

        var runs = await Task.WhenAll(
            Task.Run(() => first.MigrateAsync(Folder)),
            Task.Run(() => second.MigrateAsync(Folder)));

        Assert.That(runs.SelectMany(r => r).Select(m => m.Version).Order(), Is.EqualTo(new[] { V1, V2, V3 }), "every migration applied by exactly one of the two");
        Assert.That((await HistoryAsync()).Select(h => (h.Version, h.Success)), Is.EqualTo(new[] { (V1, true), (V2, true), (V3, true) }));
        Assert.That(await ScalarAsync<long>("SELECT COUNT(*) FROM counter"), Is.EqualTo(2));
    }

    [TestCase(2)]
    [TestCase(4)]
    public async Task Migrators_started_at_once_apply_each_of_ten_migrations_exactly_once_all_succeed_and_leave_no_lock_held(int migrators)
    {
        Write(V1, "create_counter", "CREATE TABLE counter (id INTEGER PRIMARY KEY, note VARCHAR(20));");
        for (var i = 2; i <= 10; i++)
        {
            Write(V1 + i - 1, $"count_{i}", (i == 5 ? SlowStatement() + "\n" : string.Empty) + $"INSERT INTO counter (id, note) VALUES ({i}, 'm{i}');");
        }

        var runs = await Task.WhenAll(Enumerable.Range(0, migrators).Select(_ => Task.Run(async () =>
        {
            await using var premix = CreatePremix();
            return await premix.MigrateAsync(Folder);
        })));

        var history = await HistoryAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(runs.SelectMany(r => r).Select(m => m.Version).Order(), Is.EqualTo(Enumerable.Range(0, 10).Select(i => V1 + i)), "every migration applied by exactly one migrator");
            Assert.That(history.Select(h => h.Version), Is.EqualTo(Enumerable.Range(0, 10).Select(i => V1 + i)));
            Assert.That(history.Select(h => h.Success), Is.All.True);
            Assert.That(await ScalarAsync<long>("SELECT COUNT(*) FROM counter"), Is.EqualTo(9));
        }

        await AssertLockIsFreeAsync();
    }

    [Test]
    public async Task Two_runs_in_a_row_each_finish_within_seconds_and_leave_no_lock_held()
    {
        // Behind a transaction-mode pooler a session-level lock outlived the first run on some server connection, and the
        // second waited for it until killed (issue 22). The default LockTimeout (5 minutes) is kept on purpose.
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");
        Assert.That((await MigrateWithinSecondsAsync()).Select(m => m.Version), Is.EqualTo(new[] { V1 }));
        await AssertLockIsFreeAsync();

        Write(V2, "create_b", "CREATE TABLE t_b (id INTEGER PRIMARY KEY);");
        Assert.That((await MigrateWithinSecondsAsync()).Select(m => m.Version), Is.EqualTo(new[] { V2 }));
        await AssertLockIsFreeAsync();
    }

    [Test]
    public async Task The_lock_is_released_after_a_run_so_the_next_run_proceeds()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");
        await CreatePremix().MigrateAsync(Folder);
        Write(V2, "create_b", "CREATE TABLE t_b (id INTEGER PRIMARY KEY);");

        var applied = await CreatePremix().MigrateAsync(Folder, options: new MigrationOptions { LockTimeout = TimeSpan.FromSeconds(2) });

        Assert.That(applied.Select(m => m.Version), Is.EqualTo(new[] { V2 }));
        await AssertLockIsFreeAsync();
    }

    [Test]
    public async Task The_lock_is_released_after_a_failed_run()
    {
        Write(V1, "broken", "INSERT INTO no_such_table (id) VALUES (1);");
        Assert.ThrowsAsync<MigrationException>(() => CreatePremix().MigrateAsync(Folder));

        await AssertLockIsFreeAsync();
    }

    [Test]
    public async Task A_migrator_gives_up_with_a_clear_error_when_another_holds_the_lock_past_the_timeout()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");
        await using var holder = await OpenUnpooledConnectionAsync();
        await AcquireLockAsync(holder, TimeSpan.FromSeconds(5));
        try
        {
            var error = Assert.ThrowsAsync<MigrationException>(
                () => CreatePremix().MigrateAsync(Folder, options: new MigrationOptions { LockTimeout = TimeSpan.FromSeconds(1) }));

            Assert.That(error!.Message, Does.Contain("lock").And.Contain("LockTimeout"));
        }
        finally
        {
            await ReleaseLockAsync(holder);
        }

        Assert.That(await TableExistsAsync("t_a"), Is.False);
    }

    [Test]
    public async Task A_migrator_whose_connection_dies_while_holding_the_lock_releases_it()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");
        var holder = await OpenUnpooledConnectionAsync();
        await AcquireLockAsync(holder, TimeSpan.FromSeconds(5));

        await holder.DisposeAsync(); // the session ends without unlocking, as when a process is killed

        var applied = await CreatePremix().MigrateAsync(Folder, options: new MigrationOptions { LockTimeout = TimeSpan.FromSeconds(10) });
        Assert.That(applied.Select(m => m.Version), Is.EqualTo(new[] { V1 }));
    }

    [Test]
    public async Task A_migration_run_with_a_cancelled_token_runs_nothing_and_leaves_the_lock_free()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.That(async () => await CreatePremix().MigrateAsync(Folder, cancellationToken: cancelled.Token), Throws.InstanceOf<OperationCanceledException>());

        Assert.That(await HistoryAsync(), Is.Empty);
        Assert.That(await TableExistsAsync("t_a"), Is.False);
        await AssertLockIsFreeAsync();
    }

    [Test]
    public async Task Cancelling_a_running_migration_releases_the_lock_and_leaves_it_rolled_back_or_on_MariaDB_recorded_as_failed()
    {
        // Thirty seconds of work or more on each engine, cancelled while it runs; SQLite has no sleep, so it counts.
        Write(V1, "slow", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);\n" + Engine switch
        {
            Engine.PostgreSql => "SELECT pg_sleep(30);",
            Engine.MySql => "SELECT SLEEP(30);",
            _ => "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) SELECT COUNT(*) FROM c;",
        });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));
        var started = System.Diagnostics.Stopwatch.StartNew();

        Assert.That(async () => await CreatePremix().MigrateAsync(Folder, cancellationToken: cancellation.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "the running statement was stopped, not waited out");

        var history = await HistoryAsync();
        if (Engine == Engine.MySql)
        {
            Assert.That(history.Select(h => (h.Version, h.Success)), Is.EqualTo(new[] { (V1, false) }), "its DDL ran and committed: half-applied");
            Assert.That(await TableExistsAsync("t_a"), Is.True);
        }
        else
        {
            Assert.That(history, Is.Empty);
            Assert.That(await TableExistsAsync("t_a"), Is.False);
        }

        await AssertLockIsFreeAsync();
    }

    /// <summary>One migration run of the test's folder with the default options, which must end within ten seconds.</summary>
    private async Task<IReadOnlyList<MigrationFile>> MigrateWithinSecondsAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10)); // a wait for a lock left behind fails, not hangs
        await using var premix = CreatePremix();
        try
        {
            return await premix.MigrateAsync(Folder, cancellationToken: deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Assert.Fail("The migration run did not finish within 10 s: it waited for a lock nothing should still hold.");
            throw; // Assert.Fail throws; the compiler does not know it.
        }
    }

    /// <summary>
    /// Takes and releases the lock on a fresh session with a short timeout: fails if any session still holds it. On
    /// PostgreSQL, also no advisory lock at all is held on the server, by any session; through the pooler, no pooled server
    /// session of the database carries a changed setting or other state either.
    /// </summary>
    private async Task AssertLockIsFreeAsync()
    {
        if (Engine == Engine.PostgreSql)
        {
            Assert.That(await ScalarAsync<long>("SELECT COUNT(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = current_database()"), Is.Zero, "no session holds an advisory lock on this database");
        }

        if (ThroughPooler)
        {
            await AssertPooledSessionsCarryNothingAsync();
        }

        await using var probe = await OpenUnpooledConnectionAsync();
        Assert.DoesNotThrowAsync(() => AcquireLockAsync(probe, TimeSpan.FromSeconds(1)));
        await ReleaseLockAsync(probe);
    }
}
