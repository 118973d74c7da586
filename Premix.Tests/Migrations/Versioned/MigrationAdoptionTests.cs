using System.Security.Cryptography;
using System.Text;
using Dapper;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations.Versioned;

/// <summary>
/// Adopting versioned migrations on a database that got its schema another way (a baseline), and migrations embedded in
/// the application's assembly, on every engine.
/// </summary>
public sealed class MigrationAdoptionTests(Engine engine) : MigrationTest(engine)
{
    private const string EmbeddedPrefix = "Premix.Tests.Migrations.Versioned.Embedded.";

    [Test]
    public async Task Baseline_records_migrations_up_to_the_version_without_running_them_and_up_then_runs_only_later_ones()
    {
        // The database got t_a with a row before it used migrations (by schema sync or by hand).
        await ExecuteAsync("CREATE TABLE t_a (id INTEGER PRIMARY KEY); INSERT INTO t_a (id) VALUES (42);");
        var first = Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");
        Write(V2, "create_b", "CREATE TABLE t_b (id INTEGER PRIMARY KEY);");

        var recorded = await CreatePremix().BaselineMigrationsAsync(Folder, V1);
        var history = await HistoryAsync();
        var applied = await CreatePremix().MigrateAsync(Folder);

        Assert.That(recorded.Select(f => f.Version), Is.EqualTo(new[] { V1 }));
        Assert.That(history.Select(h => (h.Version, h.Checksum, h.Success)), Is.EqualTo(new[] { (V1, Sha256(first), true) }));
        Assert.That(applied.Select(f => f.Version), Is.EqualTo(new[] { V2 }), "only the migration after the baseline runs");
        Assert.That(await ScalarAsync<long>("SELECT id FROM t_a"), Is.EqualTo(42), "the baselined migration did not run");
        Assert.That(await TableExistsAsync("t_b"), Is.True);
        Assert.That((await HistoryAsync()).Select(h => (h.Version, h.Success)), Is.EqualTo(new[] { (V1, true), (V2, true) }));
    }

    [Test]
    public async Task Up_on_a_database_whose_tables_exist_fails_saying_how_to_baseline_and_after_the_baseline_up_runs_the_rest()
    {
        await ExecuteAsync("CREATE TABLE t_a (id INTEGER PRIMARY KEY);");
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");
        Write(V2, "create_b", "CREATE TABLE t_b (id INTEGER PRIMARY KEY);");

        var error = Assert.ThrowsAsync<MigrationException>(() => CreatePremix().MigrateAsync(Folder));
        var tableBAfterFailure = await TableExistsAsync("t_b");
        await CreatePremix().BaselineMigrationsAsync(Folder, V1); // on MariaDB this replaces the failed record
        var applied = await CreatePremix().MigrateAsync(Folder);

        Assert.That(error!.Message, Does.Contain($"{V1}_create_a.sql").And.Contain($"BaselineMigrationsAsync with version {V2}"));
        Assert.That(tableBAfterFailure, Is.False);
        Assert.That(applied.Select(f => f.Version), Is.EqualTo(new[] { V2 }));
        Assert.That((await HistoryAsync()).Select(h => (h.Version, h.Success)), Is.EqualTo(new[] { (V1, true), (V2, true) }));
    }

    [Test]
    public async Task Baseline_is_refused_when_the_history_table_records_migrations_and_records_nothing()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");
        Write(V2, "create_b", "CREATE TABLE t_b (id INTEGER PRIMARY KEY);");
        await CreatePremix().MigrateAsync(Folder, to: V1);

        var error = Assert.ThrowsAsync<MigrationException>(() => CreatePremix().BaselineMigrationsAsync(Folder, V2));

        Assert.That(error!.Message, Does.Contain("already records 1 migration(s)").And.Contain("Nothing was recorded"));
        Assert.That((await HistoryAsync()).Select(h => h.Version), Is.EqualTo(new[] { V1 }));
    }

    [Test]
    public async Task Baseline_to_a_version_without_a_file_is_refused_before_touching_the_database()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INTEGER PRIMARY KEY);");

        var error = Assert.ThrowsAsync<MigrationException>(() => CreatePremix().BaselineMigrationsAsync(Folder, V3));

        Assert.That(error!.Message, Does.Contain($"has version {V3}"));
        Assert.That(await TableExistsAsync("premix_migrations"), Is.False);
    }

    [Test]
    public async Task Embedded_migrations_run_from_the_assembly_with_the_checksums_of_their_text()
    {
        var source = MigrationSource.Embedded(typeof(MigrationAdoptionTests).Assembly, EmbeddedPrefix);

        var applied = await CreatePremix().MigrateAsync(source);

        Assert.That(applied.Select(f => f.FileName), Is.EqualTo(new[] { $"{V1}_create_a.sql", $"{V2}_create-b.sql" }));
        Assert.That((await HistoryAsync()).Select(h => (h.Version, h.Name, h.Checksum)), Is.EqualTo(new[]
        {
            (V1, "create_a", ResourceSha256($"{V1}_create_a.sql")),
            (V2, "create-b", ResourceSha256($"{V2}_create-b.sql")),
        }));
        Assert.That(await ScalarAsync<long>("SELECT COUNT(*) FROM t_a"), Is.EqualTo(1));
        Assert.That(await TableExistsAsync("t_b"), Is.True);
    }

    [Test]
    public async Task An_embedded_source_with_no_matching_resource_is_refused_naming_the_assembly_and_prefix()
    {
        var source = MigrationSource.Embedded(typeof(MigrationAdoptionTests).Assembly, "Premix.Tests.NoSuchFolder.");

        var error = Assert.ThrowsAsync<MigrationException>(() => CreatePremix().MigrateAsync(source));

        Assert.That(error!.Message, Does.Contain("Premix.Tests").And.Contain("'Premix.Tests.NoSuchFolder.'").And.Contain("EmbeddedResource"));
        Assert.That(await TableExistsAsync("premix_migrations"), Is.False);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        foreach (var statement in sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await connection.ExecuteAsync(statement);
        }
    }

    private static string ResourceSha256(string fileName)
    {
        using var stream = typeof(MigrationAdoptionTests).Assembly.GetManifestResourceStream(EmbeddedPrefix + fileName)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal))));
    }
}
