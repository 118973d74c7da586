namespace Premix.Tests.Cli;

/// <summary>The premix tool's commands, help, usage errors and the commands that need no database server.</summary>
public sealed class CliUsageTests
{
    private const string SqliteFile = "Data Source=premix_cli_usage.db";

    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "premix_cli_" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task Help_lists_every_command()
    {
        var result = await CliProcess.RunAsync(["--help"]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("migrate").And.Contain("diff").And.Contain("sync").And.Contain("plans").And.Contain("scaffold"));
    }

    [Test]
    public async Task Migrate_help_lists_its_subcommands()
    {
        var result = await CliProcess.RunAsync(["migrate", "--help"]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        foreach (var subcommand in new[] { "new <name>", "up", "down", "status", "repair <version>", "generate <name>" })
        {
            Assert.That(result.Output, Does.Contain(subcommand));
        }
    }

    [TestCase("migrate new", "--folder")]
    [TestCase("migrate up", "--to")]
    [TestCase("migrate down", "--steps")]
    [TestCase("migrate status", "--connection")]
    [TestCase("migrate repair", "--mark-applied")]
    [TestCase("migrate generate", "--assembly")]
    [TestCase("diff", "--exit-code")]
    [TestCase("sync", "--allow-destructive")]
    [TestCase("plans", "--naming")]
    [TestCase("scaffold", "--namespace")]
    public async Task Every_command_has_help_naming_its_options(string command, string option)
    {
        var result = await CliProcess.RunAsync([.. command.Split(' '), "--help"]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("Usage:").And.Contain(option));
    }

    [Test]
    public async Task Migrate_new_writes_a_template_into_the_folder_and_prints_its_path()
    {
        var result = await CliProcess.RunAsync(["migrate", "new", "add_orders", "--folder", _folder]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var path = result.Output.Trim();
        Assert.That(Path.GetDirectoryName(Path.GetFullPath(path)), Is.EqualTo(Path.GetFullPath(_folder)));
        Assert.That(Path.GetFileName(path), Does.Match(@"^[0-9]{14}_add_orders\.sql$"));
        Assert.That(File.ReadAllText(path), Does.Contain("-- +premix Up").And.Contain("-- +premix Down"));
    }

    [Test]
    public async Task Migrate_new_refuses_a_name_with_other_characters_with_one_error_line()
    {
        var result = await CliProcess.RunAsync(["migrate", "new", "add orders!", "--folder", _folder]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[0], Does.StartWith("error: The migration name 'add orders!'"));
        Assert.That(Directory.GetFiles(_folder), Is.Empty);
    }

    [Test]
    public async Task A_missing_argument_is_a_usage_error()
    {
        var result = await CliProcess.RunAsync(["migrate", "new"]);

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.Error, Does.Contain("Required argument missing"));
        Assert.That(result.Output, Does.Contain("Usage:"));
    }

    [Test]
    public async Task A_missing_connection_and_provider_is_a_usage_error_naming_the_options_and_variables()
    {
        var result = await CliProcess.RunAsync(["migrate", "up", "--folder", _folder]);

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.Error, Does.Contain("pass --connection or set PREMIX_CONNECTION").And.Contain("pass --provider sqlite|postgresql|mysql or set PREMIX_PROVIDER"));
        Assert.That(result.Output, Does.Contain("Usage:"));
    }

    [Test]
    public async Task An_unknown_provider_in_the_environment_is_a_usage_error()
    {
        var result = await CliProcess.RunAsync(["migrate", "status", "--folder", _folder], connection: SqliteFile, provider: "oracle");

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.Error, Does.Contain("PREMIX_PROVIDER is 'oracle'"));
    }

    [Test]
    public async Task Repair_needs_exactly_one_of_forget_and_mark_applied()
    {
        var result = await CliProcess.RunAsync(["migrate", "repair", "20260101000000", "--forget", "--mark-applied", "--folder", _folder], SqliteFile, "sqlite");

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.Error, Does.Contain("Pass exactly one of --forget and --mark-applied."));
    }

    [TestCase("sqlite", "INSERT INTO \"cli_customer\" (\"name\") VALUES (@Name)")]
    [TestCase("postgresql", "INSERT INTO \"cli_customer\" (\"name\") VALUES (@Name)")]
    [TestCase("mysql", "INSERT INTO `cli_customer` (`name`) VALUES (@Name)")]
    public async Task Plans_prints_the_compiled_sql_of_the_model_in_the_engines_dialect_without_a_database(string provider, string insert)
    {
        var result = await CliProcess.RunAsync(["plans", "--provider", provider, "--assembly", CliProcess.ModelPath, "--naming", "snake-case"]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain(insert).And.Contain("-- CliOrder -> cli_order"));
    }

    [Test]
    public async Task An_assembly_that_does_not_exist_fails_with_one_error_line()
    {
        var missing = Path.Combine(_folder, "Missing.dll");

        var result = await CliProcess.RunAsync(["plans", "--provider", "sqlite", "--assembly", missing]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines, Has.Count.EqualTo(1));
        Assert.That(result.ErrorLines[0], Does.StartWith($"error: The application assembly '{missing}' does not exist"));
    }

    [Test]
    public async Task Scaffold_requires_an_output_folder()
    {
        var result = await CliProcess.RunAsync(["scaffold"], SqliteFile, "sqlite");

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.Error, Does.Contain("Option '--output' is required."));
    }

    [Test]
    public async Task Scaffold_writes_an_entity_and_a_map_per_table_in_the_namespace_asked_for()
    {
        var output = Path.Combine(_folder, "Models");
        await CreateShelvesAsync();

        var result = await CliProcess.RunAsync(["scaffold", "--output", output, "--namespace", "Shop.Models"], SqliteFile, "sqlite", _folder);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(Directory.GetFiles(output).Select(Path.GetFileName), Is.EquivalentTo(new[] { "Shelf.cs", "ShelfMap.cs" }), "classes named in the singular");
        Assert.That(await File.ReadAllTextAsync(Path.Combine(output, "ShelfMap.cs")), Does.Contain("namespace Shop.Models").And.Contain("e.ToTable(\"shelves\")").And.Contain("HasMaxLength(40)"));
    }

    [Test]
    public async Task Scaffold_with_keep_table_names_names_classes_after_their_tables()
    {
        var output = Path.Combine(_folder, "Models");
        await CreateShelvesAsync();

        var result = await CliProcess.RunAsync(["scaffold", "--output", output, "--keep-table-names"], SqliteFile, "sqlite", _folder);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(Directory.GetFiles(output).Select(Path.GetFileName), Is.EquivalentTo(new[] { "Shelves.cs", "ShelvesMap.cs" }));
    }

    private async Task CreateShelvesAsync()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_folder, "premix_cli_usage.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE shelves (id INTEGER PRIMARY KEY, label VARCHAR(40) NOT NULL)";
        await command.ExecuteNonQueryAsync();
    }
}
