using Dapper;
using Premix.Tests.Infrastructure;
using Premix.Tests.Migrations.Versioned;

namespace Premix.Tests.Cli;

/// <summary>
/// <c>premix diff</c>, <c>sync</c> and <c>migrate generate</c> run as a process against each engine with the small
/// model of Premix.Tests.CliModel (tables cli_customer and cli_order with snake-case naming).
/// </summary>
public sealed class CliSchemaTests(Engine engine) : MigrationTest(engine)
{
    private string ProviderName => CliProcess.ProviderName(Engine);

    [SetUp]
    public async Task DropModelTablesAsync()
    {
        await using var connection = await OpenConnectionAsync();
        foreach (var table in new[] { "cli_order", "cli_customer" })
        {
            await connection.ExecuteAsync($"DROP TABLE IF EXISTS {Q(table)}");
        }
    }

    [Test]
    public async Task Diff_with_exit_code_returns_2_and_prints_the_script_until_sync_then_0()
    {
        var before = await RunAsync("diff", "--exit-code");
        var sync = await RunAsync("sync");
        var after = await RunAsync("diff", "--exit-code");

        Assert.That(before.ExitCode, Is.EqualTo(2), before.ToString());
        Assert.That(before.Output, Does.Contain("--   create table cli_customer").And.Contain("--   create table cli_order").And.Contain("CREATE TABLE"));
        Assert.That(sync.ExitCode, Is.Zero, sync.ToString());
        Assert.That(sync.Output, Does.Contain("Applied 2 change(s):"));
        Assert.That((await TableExistsAsync("cli_customer"), await TableExistsAsync("cli_order")), Is.EqualTo((true, true)));
        Assert.That(after.ExitCode, Is.Zero, after.ToString());
        Assert.That(after.Output, Does.Contain("The database matches the mapping"));
    }

    [Test]
    public async Task Diff_without_exit_code_returns_0_even_with_differences_and_changes_nothing()
    {
        var result = await RunAsync("diff");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("CREATE TABLE"));
        Assert.That(await TableExistsAsync("cli_customer"), Is.False);
    }

    [Test]
    public async Task Generate_writes_the_diff_as_a_migration_that_migrate_up_applies()
    {
        var generate = await RunAsync("migrate", "generate", "init", "--folder", Folder);
        var up = await MigrateAsync("up");
        var diff = await RunAsync("diff", "--exit-code");

        Assert.That(generate.ExitCode, Is.Zero, generate.ToString());
        var path = generate.Output.Trim();
        Assert.That(Path.GetFileName(path), Does.Match(@"^[0-9]{14}_init\.sql$"));
        var text = File.ReadAllText(path);
        Assert.That(text, Does.Contain("-- +premix Up\n").And.Contain("CREATE TABLE").And.Contain("-- +premix Down\n-- Write the Down section by hand"));
        Assert.That(up.ExitCode, Is.Zero, up.ToString());
        Assert.That(await TableExistsAsync("cli_order"), Is.True);
        Assert.That(diff.ExitCode, Is.Zero, diff.ToString());
    }

    [Test]
    public async Task A_generated_migration_has_no_down_section_so_migrate_down_refuses_it()
    {
        Assert.That((await RunAsync("migrate", "generate", "init", "--folder", Folder)).ExitCode, Is.Zero);
        Assert.That((await MigrateAsync("up")).ExitCode, Is.Zero);

        var down = await MigrateAsync("down");

        Assert.That(down.ExitCode, Is.EqualTo(1), down.ToString());
        Assert.That(down.ErrorLines[0], Does.StartWith("error: ").And.Contain("has no Down section"));
        Assert.That(await TableExistsAsync("cli_order"), Is.True);
    }

    [Test]
    public async Task Generate_refuses_while_migrations_are_pending_so_the_new_file_does_not_repeat_them()
    {
        Write(V1, "create_a", "CREATE TABLE t_a (id INT PRIMARY KEY);");

        var result = await RunAsync("migrate", "generate", "init", "--folder", Folder);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[0], Does.StartWith("error: 1 migration(s)").And.Contain($"{V1}_create_a: Pending"));
        Assert.That(Directory.GetFiles(Folder), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Generate_warns_of_a_required_column_without_default_even_when_the_development_table_is_empty()
    {
        Assert.That((await RunAsync("sync")).ExitCode, Is.Zero);
        await using (var connection = await OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"ALTER TABLE {Q("cli_customer")} DROP COLUMN {Q("name")}");
        }

        var result = await RunAsync("migrate", "generate", "add_name", "--folder", Folder);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        // SQLite adds a required column by rebuilding the table; the warning names the column either way.
        Assert.That(result.Error, Does.StartWith("warning: ").And.Contain("add column cli_customer.name")
            .And.Contain("the new required column cli_customer.name has no default, so adding it fails on a table with rows"));
        Assert.That(File.ReadAllText(result.Output.Trim()), Does.Contain("-- WARNING, can lose data or fail: ").And.Contain("cli_customer.name has no default"));
    }

    [Test]
    public async Task Sync_refusing_a_destructive_change_names_the_tools_option_not_a_method()
    {
        Assert.That((await RunAsync("sync")).ExitCode, Is.Zero);
        await using (var connection = await OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"ALTER TABLE {Q("cli_customer")} ADD {Q("legacy")} INTEGER NULL");
        }

        var result = await RunAsync("sync");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("drop column cli_customer.legacy").And.Contain("--allow-destructive").And.Contain("'premix diff'"));
        Assert.That(result.Error, Does.Not.Contain("Async").And.Not.Contain("SyncOptions"));
        Assert.That(await ScalarAsync<long>(ColumnCountSql("legacy")), Is.EqualTo(1), "nothing was applied");
    }

    [Test]
    public async Task Generate_writes_nothing_when_the_database_matches_the_mapping()
    {
        Assert.That((await RunAsync("sync")).ExitCode, Is.Zero);

        var result = await RunAsync("migrate", "generate", "nothing", "--folder", Folder);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("no migration written"));
        Assert.That(Directory.GetFiles(Folder), Is.Empty);
    }

    private Task<CliResult> RunAsync(params string[] args) =>
        CliProcess.RunAsync([.. args, "--assembly", CliProcess.ModelPath, "--naming", "snake-case"], ConnectionString, ProviderName);

    private Task<CliResult> MigrateAsync(string command) =>
        CliProcess.RunAsync(["migrate", command, "--folder", Folder], ConnectionString, ProviderName);

    private string ColumnCountSql(string column) => Engine switch
    {
        Engine.Sqlite => $"SELECT COUNT(*) FROM pragma_table_info('cli_customer') WHERE name = '{column}'",
        Engine.PostgreSql => $"SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'cli_customer' AND column_name = '{column}'",
        _ => $"SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'cli_customer' AND column_name = '{column}'",
    };
}
