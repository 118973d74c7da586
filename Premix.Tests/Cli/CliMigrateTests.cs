using Premix.Tests.Infrastructure;
using Premix.Tests.Migrations.Versioned;

namespace Premix.Tests.Cli;

/// <summary><c>premix migrate up/status/down/repair</c> run as a process against each engine, checked through plain SQL.</summary>
public sealed class CliMigrateTests(Engine engine) : MigrationTest(engine)
{
    private string ProviderName => CliProcess.ProviderName(Engine);

    [Test]
    public async Task Migrate_up_applies_the_pending_migrations_and_prints_each_as_it_starts_and_completes()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INT PRIMARY KEY);", "DROP TABLE t_a;");
        Write(V2, "create_b", "CREATE TABLE t_b (id INT PRIMARY KEY);", "DROP TABLE t_b;");

        var result = await MigrateAsync("up");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain($"[1/2] applying {V1}_create_a.sql").And.Contain($"[1/2] applied {V1}_create_a.sql (")
            .And.Contain($"[2/2] applied {V2}_create_b.sql (").And.Contain("Applied 2 migration(s)."));
        Assert.That((await HistoryAsync()).Select(h => h.Version), Is.EqualTo(new[] { V1, V2 }));
        Assert.That(await TableExistsAsync("t_b"), Is.True);
    }

    [Test]
    public async Task Two_migrate_up_processes_at_once_apply_each_migration_exactly_once()
    {
        Write(V1, "create_counter", "CREATE TABLE counter (id INTEGER PRIMARY KEY, note VARCHAR(20));");
        Write(V2, "slow_count", SlowStatement() + "\nINSERT INTO counter (id, note) VALUES (1, 'slow');");
        Write(V3, "count", "INSERT INTO counter (id, note) VALUES (2, 'fast');");

        var runs = await Task.WhenAll(MigrateAsync("up"), MigrateAsync("up"));

        Assert.That(runs.Select(r => r.ExitCode), Is.All.Zero, string.Join(Environment.NewLine, runs.Select(r => r.ToString())));
        Assert.That(runs.Sum(r => CountOccurrences(r.Output, "] applied ")), Is.EqualTo(3), "each migration applied by exactly one of the two processes");
        Assert.That((await HistoryAsync()).Select(h => (h.Version, h.Success)), Is.EqualTo(new[] { (V1, true), (V2, true), (V3, true) }));
        Assert.That(await ScalarAsync<long>("SELECT COUNT(*) FROM counter"), Is.EqualTo(2));
    }

    [Test]
    public async Task Migrate_up_to_a_version_stops_there_and_status_shows_the_rest_pending()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INT PRIMARY KEY);");
        Write(V2, "create_b", "CREATE TABLE t_b (id INT PRIMARY KEY);");
        var up = await MigrateAsync("up", "--to", V1.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var status = await MigrateAsync("status");

        Assert.That(up.ExitCode, Is.Zero, up.ToString());
        Assert.That(await TableExistsAsync("t_b"), Is.False);
        Assert.That(status.ExitCode, Is.Zero, status.ToString());
        var lines = status.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines[0], Does.Match("^VERSION +NAME +STATUS +APPLIED AT \\(UTC\\)$"));
        Assert.That(lines[1], Does.Match($"^{V1} +create_a +applied +[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}} [0-9:]{{8}}$"));
        Assert.That(lines[2], Does.Match($"^{V2} +create_b +pending$"));
    }

    [Test]
    public async Task Migrate_down_reverts_the_last_migrations_by_steps()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INT PRIMARY KEY);", "DROP TABLE t_a;");
        Write(V2, "create_b", "CREATE TABLE t_b (id INT PRIMARY KEY);", "DROP TABLE t_b;");
        Write(V3, "create_c", "CREATE TABLE t_c (id INT PRIMARY KEY);", "DROP TABLE t_c;");
        Assert.That((await MigrateAsync("up")).ExitCode, Is.Zero);

        var result = await MigrateAsync("down", "--steps", "2");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain($"[1/2] reverted {V3}_create_c.sql (").And.Contain($"[2/2] reverted {V2}_create_b.sql (").And.Contain("Reverted 2 migration(s)."));
        Assert.That((await HistoryAsync()).Select(h => h.Version), Is.EqualTo(new[] { V1 }));
        Assert.That((await TableExistsAsync("t_a"), await TableExistsAsync("t_b"), await TableExistsAsync("t_c")), Is.EqualTo((true, false, false)));
    }

    [Test]
    public async Task A_failing_migration_exits_1_and_is_repaired_with_forget_where_the_engine_records_failures()
    {
        Write(V1, "broken", "CREATE TABLE t_a (id INT PRIMARY KEY);\nSELECT * FROM no_such_table;");

        var up = await MigrateAsync("up");
        var status = await MigrateAsync("status");
        var repair = await MigrateAsync("repair", V1.ToString(System.Globalization.CultureInfo.InvariantCulture), "--forget");

        Assert.That(up.ExitCode, Is.EqualTo(1), up.ToString());
        Assert.That(up.ErrorLines[0], Does.StartWith("error: "));
        Assert.That(up.Output, Does.Contain($"[1/1] failed {V1}_broken.sql"));
        Assert.That(up.Error, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(up.Error, Does.Not.Contain("Async"), "the tool names its commands, not C# methods");
        if (Engine == Engine.MySql)
        {
            // DDL commits as it runs: the migration stays recorded as failed until repaired.
            Assert.That(status.Output, Does.Contain("FAILED"));
            Assert.That(repair.ExitCode, Is.Zero, repair.ToString());
            Assert.That(repair.Output, Does.Contain($"Forgot migration {V1}"));
            Assert.That(await HistoryAsync(), Is.Empty);
        }
        else
        {
            // Transactional DDL: the migration rolled back and is not recorded, so there is nothing to repair.
            Assert.That(status.Output, Does.Contain("pending"));
            Assert.That(await TableExistsAsync("t_a"), Is.False);
            Assert.That(repair.ExitCode, Is.EqualTo(1), repair.ToString());
            Assert.That(repair.ErrorLines[0], Does.StartWith("error: "));
        }
    }

    [Test]
    public async Task Migrate_baseline_adopts_a_database_whose_tables_exist_so_up_runs_only_later_migrations()
    {
        await using (var connection = await OpenConnectionAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "CREATE TABLE t_a (id INT PRIMARY KEY)");
        }

        Write(V1, "create_a", "CREATE TABLE t_a (id INT PRIMARY KEY);");
        Write(V2, "create_b", "CREATE TABLE t_b (id INT PRIMARY KEY);");
        var failedUp = await MigrateAsync("up");
        var baseline = await MigrateAsync("baseline", V1.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var up = await MigrateAsync("up");

        Assert.That(failedUp.ExitCode, Is.EqualTo(1), failedUp.ToString());
        Assert.That(failedUp.Error, Does.Contain($"run 'premix migrate baseline {V2}'").And.Not.Contain("Async"));
        Assert.That(baseline.ExitCode, Is.Zero, baseline.ToString());
        Assert.That(baseline.Output, Does.Contain($"Recorded 1 migration(s) up to {V1} as applied"));
        Assert.That(up.ExitCode, Is.Zero, up.ToString());
        Assert.That(up.Output, Does.Contain($"applied {V2}_create_b.sql").And.Not.Contain($"{V1}_create_a.sql"));
        Assert.That((await HistoryAsync()).Select(h => (h.Version, h.Success)), Is.EqualTo(new[] { (V1, true), (V2, true) }));
    }

    [Test]
    public async Task Repairing_a_migration_that_did_not_fail_names_the_status_command_not_a_method()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INT PRIMARY KEY);");
        Assert.That((await MigrateAsync("up")).ExitCode, Is.Zero);

        var repair = await MigrateAsync("repair", V1.ToString(System.Globalization.CultureInfo.InvariantCulture), "--forget");

        Assert.That(repair.ExitCode, Is.EqualTo(1), repair.ToString());
        Assert.That(repair.ErrorLines[0], Does.Contain("premix migrate status").And.Not.Contain("Async"));
        Assert.That((await HistoryAsync()).Select(h => h.Version), Is.EqualTo(new[] { V1 }));
    }

    [Test]
    public async Task A_connection_that_cannot_open_fails_with_exit_code_1_and_one_error_line_with_its_cause()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INT PRIMARY KEY);");
        var unreachable = Engine switch
        {
            Engine.Sqlite => "Data Source=" + Path.Combine(Folder, "no_such_folder", "app.db"),
            Engine.PostgreSql => "Host=127.0.0.1;Port=1;Username=premix;Timeout=5",
            _ => "Server=127.0.0.1;Port=1;User ID=premix;Connection Timeout=5",
        };

        var result = await CliProcess.RunAsync(["migrate", "up", "--folder", Folder, "--connection", unreachable, "--provider", ProviderName]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines, Has.Count.InRange(1, 2), result.ToString());
        Assert.That(result.ErrorLines[0], Does.StartWith("error: "));
        Assert.That(result.ErrorLines.Skip(1), Has.All.StartWith("cause: "));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.ErrorLines[0], Does.Contain(Engine == Engine.Sqlite
            ? $"Could not open the sqlite database '{Path.Combine(Folder, "no_such_folder", "app.db")}'"
            : $"Could not connect to {ProviderName} at 127.0.0.1:1"), "the file, or the host and port");
    }

    private static int CountOccurrences(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    private Task<CliResult> MigrateAsync(params string[] args) =>
        CliProcess.RunAsync(["migrate", .. args, "--folder", Folder], ConnectionString, ProviderName);
}
