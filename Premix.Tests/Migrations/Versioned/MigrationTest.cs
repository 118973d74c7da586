using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations.Versioned;

/// <summary>
/// Base of the versioned-migration fixtures: a temporary folder of migration files per test, a database emptied of
/// the tables the tests create, and plain-SQL reads of the history table.
/// </summary>
public abstract class MigrationTest(Engine engine) : PremixTest(engine)
{
    /// <summary>Versions of the tests' migrations, in order.</summary>
    protected const long V1 = 20260101000001;

    /// <summary>The second version.</summary>
    protected const long V2 = 20260101000002;

    /// <summary>The third version.</summary>
    protected const long V3 = 20260101000003;

    /// <summary>The tables any migration of these tests creates, dropped before each test (t_b may reference t_a).</summary>
    private static readonly string[] Tables = ["premix_migrations", "counter", "filler", "t_c", "t_b", "t_a"]; // children before parents

    /// <summary>The test's own folder of migration files.</summary>
    protected string Folder { get; private set; } = null!;

    [SetUp]
    public async Task CreateFolderAndEmptyDatabaseAsync()
    {
        Folder = Path.Combine(Path.GetTempPath(), "premix_migrations_" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Folder);
        await using var connection = await OpenConnectionAsync();
        foreach (var table in Tables)
        {
            await connection.ExecuteAsync($"DROP TABLE IF EXISTS {Q(table)}");
        }
    }

    [TearDown]
    public void DeleteFolder()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    /// <summary>Premix on the fixture's database, without mapped entities: migrations need none.</summary>
    protected IPremix CreatePremix() => CreatePremix(p => p.AllowEmptyModel());

    /// <summary>Writes <c>{version}_{name}.sql</c> with an Up section and, when given, a Down section; returns its path.</summary>
    protected string Write(long version, string name, string up, string? down = null)
    {
        var path = Path.Combine(Folder, $"{version}_{name}.sql");
        var text = $"-- {name}\n-- +premix Up\n{up}\n" + (down is null ? string.Empty : $"\n-- +premix Down\n{down}\n");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The SHA-256 of a file's text as the history table should record it, computed independently.</summary>
    protected static string Sha256(string path) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal))));

    /// <summary>The history table's rows through plain SQL, in version order; empty when the table does not exist.</summary>
    protected async Task<List<(long Version, string Name, string Checksum, bool Success, long DurationMs)>> HistoryAsync()
    {
        var rows = new List<(long, string, string, bool, long)>();
        if (!await TableExistsAsync("premix_migrations"))
        {
            return rows;
        }

        await using var connection = await OpenConnectionAsync();
        await using var reader = await connection.ExecuteReaderAsync(
            $"SELECT {Q("version")}, {Q("name")}, {Q("checksum")}, {Q("success")}, {Q("duration_ms")} FROM {Q("premix_migrations")} ORDER BY {Q("version")}");
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), Convert.ToBoolean(reader.GetValue(3)), reader.GetInt64(4)));
        }

        return rows;
    }

    /// <summary>Whether a table exists, through the engine's catalog.</summary>
    protected async Task<bool> TableExistsAsync(string table)
    {
        var sql = Engine switch
        {
            Engine.Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @table",
            Engine.PostgreSql => "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @table",
            _ => "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = @table",
        };
        return await ScalarAsync<long>(sql, new { table }) > 0;
    }

    /// <summary>
    /// Takes the migration lock on <paramref name="connection"/> as another migrator would (the runner's own code): on
    /// PostgreSQL, whose lock lives in a transaction, in one begun here.
    /// </summary>
    protected async Task AcquireLockAsync(DbConnection connection, TimeSpan timeout)
    {
        var dialect = Provider.SchemaSupport()!.Migrations;
        if (dialect.LocksInTransaction)
        {
            await connection.ExecuteAsync(dialect.BeginMigration!, commandType: System.Data.CommandType.Text); // Dapper would take one word for a procedure
        }

        try
        {
            await MigrationLock.AcquireAsync(SchemaExecution.Of(CreatePremix()), dialect, connection, timeout, CancellationToken.None);
        }
        catch when (dialect.LocksInTransaction)
        {
            await connection.ExecuteAsync(dialect.RollbackMigration!, commandType: System.Data.CommandType.Text);
            throw;
        }
    }

    /// <summary>Releases the lock <see cref="AcquireLockAsync"/> took on <paramref name="connection"/> (on PostgreSQL, by ending its transaction).</summary>
    protected async Task ReleaseLockAsync(DbConnection connection)
    {
        var dialect = Provider.SchemaSupport()!.Migrations;
        if (dialect.LocksInTransaction)
        {
            await connection.ExecuteAsync(dialect.CommitMigration!, commandType: System.Data.CommandType.Text);
            return;
        }

        await MigrationLock.ReleaseAsync(SchemaExecution.Of(CreatePremix()), dialect, connection);
    }

    /// <summary>An open connection outside any pool: disposing it ends its session, as a killed process would.</summary>
    protected async Task<DbConnection> OpenUnpooledConnectionAsync()
    {
        DbConnection connection = Engine switch
        {
            Engine.Sqlite => new SqliteConnection(new SqliteConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString()),
            Engine.PostgreSql => new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString()),
            _ => new MySqlConnection(new MySqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString()),
        };
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>A progress sink that records reports synchronously, in order.</summary>
    protected sealed class RecordingProgress : IProgress<MigrationProgress>
    {
        private readonly List<MigrationProgress> _reports = [];

        public IReadOnlyList<MigrationProgress> Reports
        {
            get
            {
                lock (_reports)
                {
                    return _reports.ToArray();
                }
            }
        }

        public void Report(MigrationProgress value)
        {
            lock (_reports)
            {
                _reports.Add(value);
            }
        }
    }

    /// <summary>A statement that takes a moment on the fixture's engine, so concurrent migrators overlap.</summary>
    protected string SlowStatement() => Engine switch
    {
        Engine.PostgreSql => "SELECT pg_sleep(0.5);",
        Engine.MySql => "DO SLEEP(0.5);",
        _ => "CREATE TABLE filler (x INTEGER);\n"
            + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) INSERT INTO filler (x) SELECT i FROM n;",
    };
}
