using Dapper;
using Microsoft.Extensions.Logging;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations.Versioned;

/// <summary>Versioned migrations up, down, to a version, status, checksums and failures, on every engine.</summary>
public sealed class VersionedMigrationTests(Engine engine) : MigrationTest(engine)
{
    [Test]
    public async Task MigrateAsync_applies_pending_files_in_version_order_and_records_each_in_the_history_table()
    {
        // Written out of order: versions decide, not file creation.
        var third = Write(V3, "fill_b", "INSERT INTO t_b (id, a_id) VALUES (10, 1);");
        var first = Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);\nINSERT INTO t_a (id) VALUES (1);");
        var second = Write(V2, "create_b", "CREATE TABLE t_b (id INTEGER PRIMARY KEY, a_id INTEGER NOT NULL REFERENCES t_a (id));");

        var applied = await CreatePremix().MigrateAsync(Folder);

        Assert.That(applied.Select(m => m.Version), Is.EqualTo(new[] { V1, V2, V3 }));
        var history = await HistoryAsync();
        Assert.That(history.Select(h => (h.Version, h.Name, h.Checksum, h.Success)), Is.EqualTo(new[]
        {
            (V1, "create_a", Sha256(first), true),
            (V2, "create_b", Sha256(second), true),
            (V3, "fill_b", Sha256(third), true),
        }));
        Assert.That(history.Select(h => h.DurationMs), Has.All.GreaterThanOrEqualTo(0));
        Assert.That(await ScalarAsync<long>("SELECT a_id FROM t_b WHERE id = 10"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_section_runs_as_one_command_so_bodies_with_semicolons_need_no_separator()
    {
        // PostgreSQL: a function body in dollar quotes; SQLite and MariaDB: a trigger body between BEGIN and END.
        var body = Engine == Engine.PostgreSql
            ? "CREATE OR REPLACE FUNCTION premix_test_twice(x integer) RETURNS integer AS $$\nBEGIN\n  RETURN x * 2; -- ';' inside\nEND;\n$$ LANGUAGE plpgsql;\n"
                + "INSERT INTO t_b (id) VALUES (premix_test_twice(7));\nINSERT INTO t_b (id) VALUES (premix_test_twice(7) + 7);"
            : "CREATE TRIGGER t_a_copy AFTER INSERT ON t_a FOR EACH ROW\nBEGIN\n  INSERT INTO t_b (id) VALUES (NEW.id * 2);\n  INSERT INTO t_b (id) VALUES (NEW.id * 3);\nEND;\n"
                + "INSERT INTO t_a (id) VALUES (7);";
        Write(V1, "bodies", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);\nCREATE TABLE t_b (id INTEGER PRIMARY KEY);\n" + body);

        await CreatePremix().MigrateAsync(Folder);

        await using var connection = await OpenConnectionAsync();
        Assert.That(await connection.QueryAsync<long>("SELECT id FROM t_b ORDER BY id"), Is.EqualTo(new long[] { 14, 21 }));
    }

    [Test]
    public async Task MigrateAsync_records_the_applied_time_in_utc()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");
        var before = DateTime.UtcNow.AddSeconds(-5);

        await CreatePremix().MigrateAsync(Folder);

        var status = await CreatePremix().MigrationStatusAsync(Folder);
        Assert.That(status.Single().AppliedAt, Is.InRange(before, DateTime.UtcNow.AddSeconds(5)));
    }

    [Test]
    public async Task A_second_run_applies_only_files_added_since()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");
        await CreatePremix().MigrateAsync(Folder);
        Write(V2, "create_b", "CREATE TABLE t_b (id INTEGER PRIMARY KEY);");

        var applied = await CreatePremix().MigrateAsync(Folder);

        Assert.That(applied.Select(m => m.Version), Is.EqualTo(new[] { V2 }));
        Assert.That((await HistoryAsync()).Select(h => h.Version), Is.EqualTo(new[] { V1, V2 }));
    }

    [Test]
    public async Task MigrateAsync_reports_progress_and_logs_each_applied_migration_with_a_stable_event_id()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");
        Write(V2, "create_b", "CREATE TABLE t_b (id INTEGER PRIMARY KEY);");
        var progress = new RecordingProgress();
        using var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));

        await CreatePremix().MigrateAsync(Folder, options: new MigrationOptions { Progress = progress, Logger = loggerFactory.CreateLogger("Premix.Migrations") });

        Assert.That(progress.Reports.Select(p => (p.Migration.Version, p.Step, p.Index, p.Count)), Is.EqualTo(new[]
        {
            (V1, MigrationStep.Starting, 1, 2), (V1, MigrationStep.Completed, 1, 2),
            (V2, MigrationStep.Starting, 2, 2), (V2, MigrationStep.Completed, 2, 2),
        }));
        var applied = logs.Entries.Where(e => e.Id == MigrationEventId.MigrationApplied).ToList();
        var messages = applied.Select(e => e.Message).ToList();
        Assert.That(messages, Has.Count.EqualTo(2).And.Some.Contains($"{V1} create_a").And.Some.Contains($"{V2} create_b"));
        Assert.That(applied.Select(e => e.Level), Has.All.EqualTo(LogLevel.Information));
    }

    [Test]
    public async Task MigrateAsync_to_a_version_applies_up_to_and_including_it()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");
        Write(V2, "create_b", "CREATE TABLE t_b (id INTEGER PRIMARY KEY);");
        Write(V3, "create_c", "CREATE TABLE t_c (id INTEGER PRIMARY KEY);");

        var applied = await CreatePremix().MigrateAsync(Folder, to: V2);

        Assert.That(applied.Select(m => m.Version), Is.EqualTo(new[] { V1, V2 }));
        Assert.That((await HistoryAsync()).Select(h => h.Version), Is.EqualTo(new[] { V1, V2 }));
        Assert.That(await TableExistsAsync("t_c"), Is.False);
    }

    [Test]
    public void MigrateAsync_to_a_version_without_a_file_is_refused()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");

        var error = Assert.ThrowsAsync<MigrationException>(() => CreatePremix().MigrateAsync(Folder, to: V2));

        Assert.That(error!.Message, Does.Contain(V2.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task MigrationStatusAsync_reports_applied_pending_checksum_changed_and_missing_files()
    {
        var first = Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");
        var second = Write(V2, "create_b", "CREATE TABLE t_b (id INTEGER PRIMARY KEY);");
        await CreatePremix().MigrateAsync(Folder);
        File.AppendAllText(first, "-- edited after it was applied\n");
        File.Delete(second);
        Write(V3, "create_c", "CREATE TABLE t_c (id INTEGER PRIMARY KEY);");

        var status = await CreatePremix().MigrationStatusAsync(Folder);

        Assert.That(status.Select(s => (s.Version, s.Name, s.Status)), Is.EqualTo(new[]
        {
            (V1, "create_a", MigrationStatus.ChecksumChanged),
            (V2, "create_b", MigrationStatus.FileMissing),
            (V3, "create_c", MigrationStatus.Pending),
        }));
        Assert.That(status[2].AppliedAt, Is.Null);
        Assert.That(status[1].File, Is.Null);
    }

    [Test]
    public async Task MigrationStatusAsync_on_a_new_database_reports_every_file_pending_and_creates_nothing()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");

        var status = await CreatePremix().MigrationStatusAsync(Folder);

        Assert.That(status.Select(s => s.Status), Is.EqualTo(new[] { MigrationStatus.Pending }));
        Assert.That(await TableExistsAsync("premix_migrations"), Is.False);
    }

    [Test]
    public async Task MigrateDownAsync_runs_down_sections_newest_first_and_removes_their_history_rows()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);", "DROP TABLE t_a;");
        Write(V2, "create_b", "CREATE TABLE t_b (id INTEGER PRIMARY KEY);", "DROP TABLE t_b;");
        Write(V3, "create_c", "CREATE TABLE t_c (id INTEGER PRIMARY KEY);", "DROP TABLE t_c;");
        await CreatePremix().MigrateAsync(Folder);
        var progress = new RecordingProgress();

        var reverted = await CreatePremix().MigrateDownAsync(Folder, steps: 2, new MigrationOptions { Progress = progress });

        Assert.That(reverted.Select(m => m.Version), Is.EqualTo(new[] { V3, V2 }));
        Assert.That(progress.Reports.Where(p => p.Step == MigrationStep.Completed).Select(p => (p.Migration.Version, p.Direction)),
            Is.EqualTo(new[] { (V3, MigrationDirection.Down), (V2, MigrationDirection.Down) }));
        Assert.That((await HistoryAsync()).Select(h => h.Version), Is.EqualTo(new[] { V1 }));
        Assert.That((await TableExistsAsync("t_a"), await TableExistsAsync("t_b"), await TableExistsAsync("t_c")), Is.EqualTo((true, false, false)));
    }

    [Test]
    public async Task MigrateDownAsync_then_MigrateAsync_applies_the_reverted_migration_again()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);", "DROP TABLE t_a;");
        await CreatePremix().MigrateAsync(Folder);
        await CreatePremix().MigrateDownAsync(Folder);

        var applied = await CreatePremix().MigrateAsync(Folder);

        Assert.That(applied.Select(m => m.Version), Is.EqualTo(new[] { V1 }));
        Assert.That(await TableExistsAsync("t_a"), Is.True);
    }

    [Test]
    public async Task MigrateDownAsync_refuses_when_a_migration_to_revert_has_no_down_section_and_reverts_nothing()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);", "DROP TABLE t_a;");
        Write(V2, "create_b", "CREATE TABLE t_b (id INTEGER PRIMARY KEY);");
        Write(V3, "create_c", "CREATE TABLE t_c (id INTEGER PRIMARY KEY);", "DROP TABLE t_c;");
        await CreatePremix().MigrateAsync(Folder);

        var error = Assert.ThrowsAsync<MigrationException>(() => CreatePremix().MigrateDownAsync(Folder, steps: 2));

        Assert.That(error!.FileName, Is.EqualTo($"{V2}_create_b.sql"));
        Assert.That(error.Message, Does.Contain($"{V2}_create_b.sql").And.Contain("no Down section"));
        Assert.That((await HistoryAsync()).Select(h => h.Version), Is.EqualTo(new[] { V1, V2, V3 }));
        Assert.That(await TableExistsAsync("t_c"), Is.True);
    }

    [Test]
    public async Task A_changed_applied_file_is_refused_by_name_and_nothing_runs()
    {
        var first = Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");
        await CreatePremix().MigrateAsync(Folder);
        File.WriteAllText(first, File.ReadAllText(first).Replace("id INTEGER", "id BIGINT", StringComparison.Ordinal));
        Write(V2, "create_b", "CREATE TABLE t_b (id INTEGER PRIMARY KEY);");

        var error = Assert.ThrowsAsync<MigrationException>(() => CreatePremix().MigrateAsync(Folder));

        Assert.That(error!.FileName, Is.EqualTo($"{V1}_create_a.sql"));
        Assert.That(error.Message, Does.Contain($"{V1}_create_a.sql").And.Contain("changed"));
        Assert.That(await TableExistsAsync("t_b"), Is.False);
        Assert.That((await HistoryAsync()).Select(h => h.Version), Is.EqualTo(new[] { V1 }));
    }

    [Test]
    public async Task A_pending_file_older_than_the_latest_applied_one_is_refused_by_name()
    {
        Write(V2, "create_b", "CREATE TABLE t_b (id INTEGER PRIMARY KEY);");
        await CreatePremix().MigrateAsync(Folder);
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");

        var error = Assert.ThrowsAsync<MigrationException>(() => CreatePremix().MigrateAsync(Folder));

        Assert.That(error!.Message, Does.Contain($"{V1}_create_a.sql").And.Contain("out of order"));
        Assert.That(await TableExistsAsync("t_a"), Is.False);
    }

    [Test]
    public async Task A_malformed_folder_is_refused_naming_the_file_before_anything_runs()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");
        File.WriteAllText(Path.Combine(Folder, "add_b.sql"), "-- +premix Up\nCREATE TABLE t_b (id INTEGER PRIMARY KEY);\n");

        var error = Assert.ThrowsAsync<MigrationException>(() => CreatePremix().MigrateAsync(Folder));

        Assert.That(error!.Message, Does.Contain("add_b.sql"));
        Assert.That(await TableExistsAsync("premix_migrations"), Is.False);
        Assert.That(await TableExistsAsync("t_a"), Is.False);
    }

    [Test]
    public async Task A_failing_migration_stops_the_run_with_an_error_naming_the_file_and_the_database_error()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");
        Write(V2, "broken", "CREATE TABLE t_b (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table (id) VALUES (1);");
        Write(V3, "create_c", "CREATE TABLE t_c (id INTEGER PRIMARY KEY);");
        var progress = new RecordingProgress();

        var error = Assert.ThrowsAsync<MigrationException>(() => CreatePremix().MigrateAsync(Folder, options: new MigrationOptions { Progress = progress }));

        Assert.That(error!.FileName, Is.EqualTo($"{V2}_broken.sql"));
        Assert.That(error.Message, Does.Contain($"{V2}_broken.sql").And.Contain("no_such_table"));
        Assert.That(error.InnerException, Is.InstanceOf<DatabaseCommandException>().With.Property(nameof(DatabaseCommandException.Operation)).EqualTo("Migrate"));
        Assert.That(error.InnerException!.InnerException, Is.InstanceOf<System.Data.Common.DbException>());
        Assert.That(progress.Reports.Last().Step, Is.EqualTo(MigrationStep.Failed));
        Assert.That(await TableExistsAsync("t_a"), Is.True);
        Assert.That(await TableExistsAsync("t_c"), Is.False);
    }

    [Test]
    public async Task A_failing_migration_is_rolled_back_where_DDL_is_transactional_and_recorded_as_failed_on_MariaDB()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");
        Write(V2, "broken", "CREATE TABLE t_b (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table (id) VALUES (1);");

        var error = Assert.ThrowsAsync<MigrationException>(() => CreatePremix().MigrateAsync(Folder));

        if (Engine != Engine.MySql)
        {
            Assert.That(error!.Message, Does.Contain("rolled back"));
            Assert.That(await TableExistsAsync("t_b"), Is.False, "the table of the failing migration's first statement");
            Assert.That((await HistoryAsync()).Select(h => h.Version), Is.EqualTo(new[] { V1 }));

            // Fixed, the file runs on the next attempt.
            Write(V2, "broken", "CREATE TABLE t_b (id INTEGER PRIMARY KEY);");
            Assert.That((await CreatePremix().MigrateAsync(Folder)).Select(m => m.Version), Is.EqualTo(new[] { V2 }));
            return;
        }

        // MariaDB commits DDL as it runs.
        Assert.That(error!.Message, Does.Contain("recorded as failed").And.Contain("RepairMigrationAsync"));
        Assert.That(await TableExistsAsync("t_b"), Is.True, "DDL before the failing statement stays committed");
        Assert.That((await HistoryAsync()).Select(h => (h.Version, h.Success)), Is.EqualTo(new[] { (V1, true), (V2, false) }));
        Assert.That((await CreatePremix().MigrationStatusAsync(Folder)).Select(s => s.Status), Is.EqualTo(new[] { MigrationStatus.Applied, MigrationStatus.Failed }));

        // Fixing the file is not enough: the database may be half-migrated, so the next run refuses.
        Write(V2, "broken", "CREATE TABLE t_b (id INTEGER PRIMARY KEY);");
        Write(V3, "create_c", "CREATE TABLE t_c (id INTEGER PRIMARY KEY);");
        var refused = Assert.ThrowsAsync<MigrationException>(() => CreatePremix().MigrateAsync(Folder));
        Assert.That(refused!.FileName, Is.EqualTo($"{V2}_broken.sql"));
        Assert.That(refused.Message, Does.Contain("failed").And.Contain("repaired"));
        Assert.That(await TableExistsAsync("t_c"), Is.False);

        // Undo by hand, forget the failed record: the fixed file runs again, and the rest after it.
        await using (var connection = await OpenConnectionAsync())
        {
            await connection.ExecuteAsync("DROP TABLE t_b");
        }

        await CreatePremix().RepairMigrationAsync(Folder, V2, MigrationRepair.Forget);
        var applied = await CreatePremix().MigrateAsync(Folder);

        Assert.That(applied.Select(m => m.Version), Is.EqualTo(new[] { V2, V3 }));
        Assert.That((await HistoryAsync()).Select(h => (h.Version, h.Success)), Is.EqualTo(new[] { (V1, true), (V2, true), (V3, true) }));
    }

    [Test]
    public async Task RepairMigrationAsync_mark_applied_records_a_failed_migration_as_applied_where_failures_are_recorded()
    {
        Write(V1, "broken", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table (id) VALUES (1);");
        Assert.ThrowsAsync<MigrationException>(() => CreatePremix().MigrateAsync(Folder));
        var fixedFile = Write(V1, "broken", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);"); // what the database now holds

        if (Engine != Engine.MySql)
        {
            // Rolled back and not recorded: there is nothing to repair.
            Assert.ThrowsAsync<MigrationException>(() => CreatePremix().RepairMigrationAsync(Folder, V1, MigrationRepair.MarkApplied));
            Assert.That(await HistoryAsync(), Is.Empty);
            return;
        }

        await CreatePremix().RepairMigrationAsync(Folder, V1, MigrationRepair.MarkApplied);

        Assert.That((await HistoryAsync()).Select(h => (h.Version, h.Success, h.Checksum)), Is.EqualTo(new[] { (V1, true, Sha256(fixedFile)) }));
        Assert.That(await CreatePremix().MigrateAsync(Folder), Is.Empty);
    }

    [Test]
    public async Task A_failing_down_section_is_rolled_back_where_DDL_is_transactional_and_marks_the_migration_failed_on_MariaDB()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);", "DROP TABLE t_a;\nDROP TABLE no_such_table;");
        await CreatePremix().MigrateAsync(Folder);

        var error = Assert.ThrowsAsync<MigrationException>(() => CreatePremix().MigrateDownAsync(Folder));

        if (Engine != Engine.MySql)
        {
            Assert.That(error!.Message, Does.Contain($"{V1}_create_a.sql").And.Contain("no_such_table"));
            Assert.That(await TableExistsAsync("t_a"), Is.True);
            Assert.That((await HistoryAsync()).Select(h => (h.Version, h.Success)), Is.EqualTo(new[] { (V1, true) }));
            return;
        }

        Assert.That(error!.Message, Does.Contain($"{V1}_create_a.sql").And.Contain("recorded as failed"));
        Assert.That(await TableExistsAsync("t_a"), Is.False, "DROP TABLE committed before the failing statement");
        Assert.That((await HistoryAsync()).Select(h => (h.Version, h.Success)), Is.EqualTo(new[] { (V1, false) }));
        Assert.ThrowsAsync<MigrationException>(() => CreatePremix().MigrateAsync(Folder));

        // The revert is complete by hand: forgetting the record makes the migration pending again.
        await CreatePremix().RepairMigrationAsync(Folder, V1, MigrationRepair.Forget);
        Assert.That((await CreatePremix().MigrationStatusAsync(Folder)).Single().Status, Is.EqualTo(MigrationStatus.Pending));
    }

    [Test]
    public async Task RepairMigrationAsync_refuses_a_migration_that_did_not_fail()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");
        await CreatePremix().MigrateAsync(Folder);

        var error = Assert.ThrowsAsync<MigrationException>(() => CreatePremix().RepairMigrationAsync(Folder, V1, MigrationRepair.Forget));

        Assert.That(error!.Message, Does.Contain("not failed"));
        Assert.That((await HistoryAsync()).Select(h => h.Version), Is.EqualTo(new[] { V1 }));
    }
}
