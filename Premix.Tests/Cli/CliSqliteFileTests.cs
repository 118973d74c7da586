using Dapper;
using Microsoft.Data.Sqlite;

namespace Premix.Tests.Cli;

/// <summary>
/// The premix tool never creates a SQLite database from a mistyped path: every command that connects fails with exit
/// code 1 naming the file, and leaves no file behind, unless <c>--create</c> (or the connection string's own
/// <c>Mode</c>) asks for a new one. A server engine has no file to create; its connection failures are in
/// <see cref="CliMigrateTests"/>.
/// </summary>
public sealed class CliSqliteFileTests
{
    private const string Mistyped = "Data Source=shop.dbb";

    private string _folder = null!;

    private string MistypedFile => Path.Combine(_folder, "shop.dbb");

    private string Migrations => Path.Combine(_folder, "migrations");

    /// <summary>Every command that opens the database, with the arguments it needs besides the connection.</summary>
    public static IEnumerable<TestCaseData> ConnectingCommands { get; } =
    [
        new TestCaseData((object)new[] { "migrate", "status" }).SetArgDisplayNames("migrate status"),
        new TestCaseData((object)new[] { "migrate", "up" }).SetArgDisplayNames("migrate up"),
        new TestCaseData((object)new[] { "migrate", "down" }).SetArgDisplayNames("migrate down"),
        new TestCaseData((object)new[] { "migrate", "repair", "20260101000001", "--forget" }).SetArgDisplayNames("migrate repair"),
        new TestCaseData((object)new[] { "migrate", "generate", "init" }).SetArgDisplayNames("migrate generate"),
        new TestCaseData((object)new[] { "sync" }).SetArgDisplayNames("sync"),
        new TestCaseData((object)new[] { "diff" }).SetArgDisplayNames("diff"),
        new TestCaseData((object)new[] { "scaffold" }).SetArgDisplayNames("scaffold"),
    ];

    [SetUp]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("premix_cli_sqlite_").FullName;
        Directory.CreateDirectory(Migrations);
        File.WriteAllText(Path.Combine(Migrations, "20260101000001_create_shelves.sql"), "-- +premix Up\nCREATE TABLE shelves (id INTEGER PRIMARY KEY);\n-- +premix Down\nDROP TABLE shelves;\n");
    }

    [TearDown]
    public void DeleteFolder()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [TestCaseSource(nameof(ConnectingCommands))]
    public async Task A_mistyped_path_fails_with_exit_code_1_naming_the_file_and_creates_nothing(string[] command)
    {
        var result = await RunAsync(command, Mistyped);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[0], Does.StartWith($"error: Could not open the sqlite database '{MistypedFile}': the database does not exist"), result.ToString());
        Assert.That(result.ErrorLines[^1], Is.EqualTo($"hint: premix creates no SQLite database unless asked; pass --create to create '{MistypedFile}'."));
        Assert.That(result.Error, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(Directory.GetFiles(_folder), Is.Empty, "no database file, journal or scaffolded class left behind");
    }

    [Test]
    public async Task A_file_in_a_missing_folder_fails_naming_the_folder_even_with_create()
    {
        var file = Path.Combine(_folder, "no_such_folder", "shop.db");

        var result = await RunAsync(["migrate", "up", "--create"], $"Data Source={file}");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[0], Does.Contain($"'{file}'").And.Contain($"the folder '{Path.GetDirectoryName(file)}' does not exist"));
        Assert.That(result.Error, Does.Not.Contain("hint:"), "creating the file would not help");
        Assert.That(Directory.Exists(Path.GetDirectoryName(file)), Is.False);
    }

    [Test]
    public async Task Migrate_up_with_create_creates_the_file_and_applies_the_migrations()
    {
        var result = await RunAsync(["migrate", "up", "--create"], Mistyped);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(await TablesAsync(MistypedFile), Does.Contain("shelves").And.Contain("premix_migrations"));
    }

    [Test]
    public async Task Sync_creates_the_file_when_the_connection_string_asks_for_ReadWriteCreate_itself()
    {
        var result = await RunAsync(["sync"], Mistyped + ";Mode=ReadWriteCreate");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(await TablesAsync(MistypedFile), Does.Contain("cli_customer"));
    }

    [Test]
    public async Task An_existing_file_is_used_as_before_without_create()
    {
        await using (var connection = new SqliteConnection($"Data Source={MistypedFile}"))
        {
            await connection.ExecuteAsync("CREATE TABLE kept (id INTEGER PRIMARY KEY)");
        }

        var result = await RunAsync(["migrate", "up"], Mistyped);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(await TablesAsync(MistypedFile), Does.Contain("kept").And.Contain("shelves"));
    }

    [Test]
    public async Task Plans_opens_no_database_so_a_mistyped_path_creates_nothing()
    {
        var result = await CliProcess.RunAsync(["plans", "--assembly", CliProcess.ModelPath], Mistyped, "sqlite", _folder);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(Directory.GetFiles(_folder), Is.Empty);
    }

    [Test]
    public async Task Create_with_a_server_engine_is_a_usage_error()
    {
        var result = await CliProcess.RunAsync(["migrate", "up", "--create", "--folder", Migrations], "Host=127.0.0.1;Database=shop", "postgresql", _folder);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("--create makes a new SQLite file; a postgresql database is created on its server"));
    }

    // Run in the test's folder, so the relative path of the connection string lands there (and is named in full).
    private Task<CliResult> RunAsync(string[] command, string connection)
    {
        string[] more = command[0] switch
        {
            "migrate" when command[1] == "generate" => ["--folder", Migrations, "--assembly", CliProcess.ModelPath, "--naming", "snake-case"],
            "migrate" => ["--folder", Migrations],
            "scaffold" => ["--output", Path.Combine(_folder, "Models")],
            _ => ["--assembly", CliProcess.ModelPath, "--naming", "snake-case"],
        };
        return CliProcess.RunAsync([.. command, .. more], connection, "sqlite", _folder);
    }

    private static async Task<IReadOnlyList<string>> TablesAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        return (await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'")).ToList();
    }
}
