using Dapper;
using Premix.Tests.Infrastructure;
using Premix.Tests.Migrations.Versioned;

namespace Premix.Tests.Cli;

/// <summary>
/// premix on real applications, run as a process against each engine: a minimal ASP.NET Core application
/// (Premix.Tests.WebApp, whose Program.cs calls AddPremix with its configuration, snake-case names and
/// VerifySchemaAtStartup) and a library with a design-time factory (Premix.Tests.CliFactory). The tool takes the provider,
/// connection string and naming convention from the application, with no option naming them; options override them.
/// </summary>
public sealed class CliApplicationTests(Engine engine) : MigrationTest(engine)
{
    private static readonly string[] Tables = ["web_order", "web_customer", "WebOrder", "WebCustomer", "cli_order", "cli_customer", "invoices"];

    private string ProviderName => CliProcess.ProviderName(Engine);

    [SetUp]
    public async Task DropTablesAsync()
    {
        await using var connection = await OpenConnectionAsync();
        foreach (var table in Tables)
        {
            await connection.ExecuteAsync($"DROP TABLE IF EXISTS {Q(table)}");
        }
    }

    [Test]
    public async Task Plans_of_an_aspnetcore_app_are_in_the_engine_and_naming_of_its_AddPremix_and_open_no_connection()
    {
        var environment = WebAppEnvironment;
        environment["ConnectionStrings__Shop"] = Unreachable;

        var result = await CliProcess.RunAsync(["plans", "--assembly", CliProcess.WebAppPath], environment: environment);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain($"INSERT INTO {Q("web_customer")} ({Q("full_name")}) VALUES (@FullName)"));
    }

    [Test]
    public async Task Sync_creates_an_aspnetcore_apps_tables_in_the_database_of_its_configuration_and_diff_then_finds_nothing()
    {
        var sync = await WebAppAsync("sync");
        var diff = await WebAppAsync("diff", "--exit-code");

        Assert.That(sync.ExitCode, Is.Zero, sync.ToString());
        Assert.That(sync.Output, Does.Contain("create table web_customer").And.Contain("create table web_order"));
        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("web_order")} WHERE {Q("total_amount")} > 0 AND {Q("web_customer_id")} > 0"), Is.Zero, "snake-case columns");
        Assert.That(diff.ExitCode, Is.Zero, diff.ToString());
        Assert.That(diff.Output, Does.Contain("The database matches the mapping"));
    }

    [Test]
    public async Task Migrate_generate_for_an_aspnetcore_app_writes_the_migration_that_migrate_up_applies()
    {
        var generate = await WebAppAsync("migrate", "generate", "init", "--folder", Folder);
        var up = await CliProcess.RunAsync(["migrate", "up", "--folder", Folder], ConnectionString, ProviderName);

        Assert.That(generate.ExitCode, Is.Zero, generate.ToString());
        Assert.That(File.ReadAllText(generate.Output.Trim()), Does.Contain("CREATE TABLE " + Q("web_customer")));
        Assert.That(up.ExitCode, Is.Zero, up.ToString());
        Assert.That((await TableExistsAsync("web_customer"), await TableExistsAsync("web_order")), Is.EqualTo((true, true)));
    }

    [Test]
    public async Task Connection_option_overrides_the_connection_string_of_the_application()
    {
        var environment = WebAppEnvironment;
        environment["ConnectionStrings__Shop"] = Unreachable;

        var result = await CliProcess.RunAsync(["sync", "--assembly", CliProcess.WebAppPath, "--connection", ConnectionString], environment: environment);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(await TableExistsAsync("web_customer"), Is.True);
    }

    [Test]
    public async Task Sync_under_another_naming_convention_than_the_databases_is_refused_unless_allowed()
    {
        await CreateSnakeCaseTablesAsync();

        var refused = await WebAppAsync("sync", "--naming", "as-written");
        var createdWhenRefused = await TableExistsAsync("WebCustomer");
        var allowed = await WebAppAsync("sync", "--naming", "as-written", "--allow-mismatch");

        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        Assert.That(refused.ErrorLines[0], Is.EqualTo(
            "error: 2 mapped name(s) are missing from the database, which has the same names spelled otherwise (WebCustomer / web_customer, WebOrder / web_order):"
            + " the naming convention probably does not match the database's, whose names look snake_case (NamingConvention.SnakeCase)."));
        Assert.That(refused.ErrorLines[^1], Does.StartWith("hint: Nothing was applied: check the naming convention (--naming as-written|snake-case").And.EndWith("pass --allow-mismatch if these changes are meant."));
        Assert.That(refused.Output, Is.Empty);
        Assert.That(createdWhenRefused, Is.False);
        Assert.That(allowed.ExitCode, Is.Zero, allowed.ToString());
        Assert.That(allowed.Error, Does.StartWith("warning: 2 mapped name(s) are missing from the database"));
        Assert.That(await TableExistsAsync("WebCustomer"), Is.True);
    }

    [Test]
    public async Task Diff_under_another_naming_convention_warns_on_stderr_and_at_the_top_of_the_script()
    {
        await CreateSnakeCaseTablesAsync();

        var result = await WebAppAsync("diff", "--naming", "as-written", "--exit-code");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines[0], Does.StartWith("warning: 2 mapped name(s) are missing from the database").And.Contain("WebCustomer / web_customer"));
        Assert.That(result.ErrorLines[1], Does.StartWith("hint: check the naming convention"));
        Assert.That(result.Output, Does.StartWith("-- WARNING, the mapping and the database do not seem to match: 2 mapped name(s)"));
    }

    [Test]
    public async Task Migrate_generate_under_another_naming_convention_writes_nothing_unless_allowed()
    {
        await CreateSnakeCaseTablesAsync();

        var refused = await WebAppAsync("migrate", "generate", "rename", "--folder", Folder, "--naming", "as-written");
        var filesAfterRefusal = Directory.GetFiles(Folder);
        var allowed = await WebAppAsync("migrate", "generate", "rename", "--folder", Folder, "--naming", "as-written", "--allow-mismatch");

        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        Assert.That(refused.Error, Does.Contain("hint: No migration was written: check the naming convention"));
        Assert.That(filesAfterRefusal, Is.Empty);
        Assert.That(allowed.ExitCode, Is.Zero, allowed.ToString());
        Assert.That(File.ReadAllText(allowed.Output.Trim()), Does.Contain("-- WARNING, the mapping and the database do not seem to match: 2 mapped name(s)"));
    }

    [Test]
    public async Task Diff_against_a_database_holding_only_other_tables_warns_that_the_connection_names_another_database()
    {
        await ExecuteAsync($"CREATE TABLE {Q("invoices")} ({Q("id")} INT PRIMARY KEY)");

        var diff = await WebAppAsync("diff");
        var sync = await WebAppAsync("sync");

        Assert.That(diff.ExitCode, Is.Zero, diff.ToString());
        Assert.That(diff.ErrorLines[0], Is.EqualTo(
            "warning: None of the 2 mapped table(s) exists in the database, which holds 1 other table(s) (invoices): the connection probably names another database (or schema) than the application's."));
        Assert.That(sync.ExitCode, Is.EqualTo(1), sync.ToString());
        Assert.That(await TableExistsAsync("web_customer"), Is.False);
    }

    [Test]
    public async Task A_library_gives_provider_connection_and_naming_through_its_design_time_factory()
    {
        var environment = new Dictionary<string, string?> { ["CLI_FACTORY_PROVIDER"] = ProviderName, ["CLI_FACTORY_CONNECTION"] = ConnectionString };

        var sync = await CliProcess.RunAsync(["sync", "--assembly", CliProcess.FactoryPath], environment: environment);

        Assert.That(sync.ExitCode, Is.Zero, sync.ToString());
        Assert.That((await TableExistsAsync("cli_customer"), await TableExistsAsync("cli_order")), Is.EqualTo((true, true)), "snake-case tables in the factory's database");
    }

    // The tables of the application as its snake-case convention names them, made with plain SQL.
    private async Task CreateSnakeCaseTablesAsync()
    {
        await ExecuteAsync($"CREATE TABLE {Q("web_customer")} ({Q("id")} BIGINT PRIMARY KEY, {Q("full_name")} VARCHAR(100) NOT NULL)");
        await ExecuteAsync($"CREATE TABLE {Q("web_order")} ({Q("id")} BIGINT PRIMARY KEY, {Q("web_customer_id")} BIGINT NOT NULL, {Q("total_amount")} DECIMAL(12, 2) NOT NULL)");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        await connection.ExecuteAsync(sql);
    }

    // The application's configuration, as its environment gives it: ConnectionStrings:Shop and Premix:Provider.
    private Dictionary<string, string?> WebAppEnvironment => new() { ["ConnectionStrings__Shop"] = ConnectionString, ["Premix__Provider"] = ProviderName };

    // A database no command may reach: the tests that use it pass when nothing connects to it.
    private string Unreachable => Engine switch
    {
        Engine.Sqlite => "Data Source=" + Path.Combine(Folder, "no_such_folder", "shop.db"),
        Engine.PostgreSql => "Host=127.0.0.1;Port=1;Username=premix;Timeout=5",
        _ => "Server=127.0.0.1;Port=1;User ID=premix;Connection Timeout=5",
    };

    // No --provider, --connection or --naming, and no PREMIX_ variables: only the application's configuration.
    private Task<CliResult> WebAppAsync(params string[] args) =>
        CliProcess.RunAsync([.. args, "--assembly", CliProcess.WebAppPath], environment: WebAppEnvironment);
}
