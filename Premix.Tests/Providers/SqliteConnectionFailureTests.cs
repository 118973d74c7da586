using Dapper;
using Microsoft.Data.Sqlite;
using Premix.Migrations;
using Premix.Providers;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Providers;

/// <summary>
/// SQLite's connection failures: a file in a folder that does not exist, a missing file the connection string says not
/// to create, a file that is not a database. Each throws one <see cref="DatabaseConnectionException"/> naming the file
/// and SQLite's reason, and leaves nothing behind; a missing file in an existing folder is still created, as SQLite
/// does by default (an application's first run). The server engines' failures are in <see cref="ServerConnectionFailureTests"/>.
/// </summary>
public sealed class SqliteConnectionFailureTests
{
    // SQLite opens in-process: a failure is immediate; the bound only allows for a loaded machine.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("premix_sqlite_open_").FullName;

    [TearDown]
    public void DeleteFolder()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void A_file_in_a_folder_that_does_not_exist_fails_naming_the_file_and_the_folder_and_creates_neither()
    {
        var missingFolder = Path.Combine(_folder, "no_such_folder");
        var file = Path.Combine(missingFolder, "app.db");
        using var premix = Create($"Data Source={file};Password={ConnectionFailures.Password}");

        var failures = ConnectionFailures.AssertEveryEntryPointFails(
            premix, ConnectionFailureKind.DatabaseNotFound, Bound, $"Could not open the sqlite database '{file}'", $"the folder '{missingFolder}' does not exist", "unable to open database file");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((failures[0].System, failures[0].Host, failures[0].Port, failures[0].Database), Is.EqualTo(("sqlite", (string?)null, (int?)null, file)));
            Assert.That(failures[0].IsTransient, Is.False);
            Assert.That(Directory.Exists(missingFolder), Is.False);
        }
    }

    [Test]
    public void A_missing_file_the_connection_string_opens_read_write_only_fails_as_not_found_and_is_not_created()
    {
        var file = Path.Combine(_folder, "mistyped.db");
        using var premix = Create($"Data Source={file};Mode=ReadWrite");

        ConnectionFailures.AssertEveryEntryPointFails(
            premix, ConnectionFailureKind.DatabaseNotFound, Bound, $"'{file}'", "the file does not exist", "Mode=ReadWrite");

        Assert.That(File.Exists(file), Is.False);
    }

    [Test]
    public void A_relative_path_is_named_as_the_full_path_SQLite_resolved()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(_folder, "missing", "app.db"));
        using var premix = Create($"Data Source={relative}");

        ConnectionFailures.AssertEveryEntryPointFails(premix, ConnectionFailureKind.DatabaseNotFound, Bound, $"'{Path.Combine(_folder, "missing", "app.db")}'");
    }

    [Test]
    public async Task A_file_that_is_not_a_database_fails_at_its_first_statement_with_SQLites_reason_and_is_left_as_it_was()
    {
        // SQLite opens such a file without reading it (finding out would cost every new connection a statement), so the
        // failure is the first statement's, with SQLite's reason, and the schema sync writes nothing over the file.
        var file = Path.Combine(_folder, "notes.db");
        var content = string.Concat(Enumerable.Repeat("These are notes, not a database. ", 200));
        await File.WriteAllTextAsync(file, content);
        await using var premix = Create($"Data Source={file}");

        var read = Assert.ThrowsAsync<DatabaseCommandException>(() => premix.Raw("SELECT 1").ScalarAs<int>());
        var sync = Assert.CatchAsync(() => premix.SyncAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(read.Message, Does.Contain("file is not a database"));
            Assert.That(sync.Message, Does.Contain("file is not a database"));
            Assert.That(await File.ReadAllTextAsync(file), Is.EqualTo(content));
        }
    }

    [Test]
    public async Task A_missing_file_in_an_existing_folder_is_created_as_SQLite_does_by_default()
    {
        var file = Path.Combine(_folder, "first_run.db");
        await using var premix = Create($"Data Source={file}");

        Assert.That(await premix.Raw("SELECT 1").ScalarAs<int>(), Is.EqualTo(1));

        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        await connection.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<string>("SELECT file FROM pragma_database_list WHERE name = 'main'"), Is.EqualTo(file));
    }

    private static IPremix Create(string connectionString) =>
        PremixFactory.Create(p => p.UseSqlite(connectionString).AddModelConfiguration(new CustomerMap()));
}
