using Dapper;
using MySqlConnector;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations.Versioned;

/// <summary>
/// MySQL and MariaDB only: their migration lock (<c>GET_LOCK</c>) belongs to one server session, which a proxy that
/// multiplexes sessions can swap under the migrator. Premix checks it still holds the lock before each migration and
/// stops with a clear error when it does not. PostgreSQL's lock lives in each migration's transaction instead, and
/// SQLite's in the run's exclusive transaction: neither can be lost that way (<see cref="MigrationLockTests"/>).
/// </summary>
[TestFixture]
public sealed class MySqlLockLossTests
{
    private IsolatedDatabase _database = null!;
    private string _folder = null!;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync() => _database = await IsolatedDatabase.CreateAsync(Engine.MySql);

    [OneTimeTearDown]
    public async Task DropDatabaseAsync()
    {
        await using var connection = new MySqlConnection(_database.ConnectionString);
        await _database.DropAsync(connection);
    }

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "premix_lockloss_" + Guid.NewGuid().ToString("N")[..12]));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task A_migrator_whose_session_lost_the_lock_stops_before_the_next_migration_with_an_error_naming_the_lock_and_the_fix()
    {
        var lockName = "premix_migrations." + new MySqlConnectionStringBuilder(_database.ConnectionString).Database;
        // The first migration gives the lock up, as a proxy moving the migrator to another server session would lose it.
        File.WriteAllText(Path.Combine(_folder, "20260101000001_loses_lock.sql"), $"-- +premix Up\nCREATE TABLE t_a (id INT PRIMARY KEY);\nDO RELEASE_LOCK('{lockName}');\n");
        File.WriteAllText(Path.Combine(_folder, "20260101000002_never_runs.sql"), "-- +premix Up\nCREATE TABLE t_b (id INT PRIMARY KEY);\n");
        await using var premix = PremixFactory.Create(p => p.UseMySql(_database.ConnectionString).AllowEmptyModel());

        var error = Assert.ThrowsAsync<MigrationException>(() => premix.MigrateAsync(_folder));

        await using var connection = new MySqlConnection(_database.ConnectionString);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Does.Contain($"no longer holds the migration lock GET_LOCK('{lockName}')").And.Contain("ProxySQL").And.Contain("direct connection"));
            Assert.That(await connection.QueryAsync<long>("SELECT version FROM premix_migrations ORDER BY version"), Is.EqualTo(new[] { 20260101000001L }), "the first migration was applied and recorded");
            Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 't_b'"), Is.Zero, "the second never ran");
            Assert.That(await connection.ExecuteScalarAsync<object>("SELECT IS_USED_LOCK(@lockName)", new { lockName }), Is.Null.Or.EqualTo(DBNull.Value), "no session holds the lock");
        }
    }
}
