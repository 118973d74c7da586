using System.Data.Common;
using Microsoft.Data.Sqlite;
using Premix.Migrations;

namespace Premix.Providers.Sqlite;

/// <summary>
/// Versioned migrations on SQLite: the whole run is one <c>BEGIN EXCLUSIVE</c> transaction, SQLite's only lock that
/// other processes see; each migration is a savepoint inside it (SQLite's DDL is transactional).
/// </summary>
/// <remarks>
/// A second migrator waits in <c>BEGIN EXCLUSIVE</c> (Microsoft.Data.Sqlite retries while the database is busy, up to
/// the command timeout, set to the lock timeout) and reads the history only once the first has committed, so each
/// migration runs exactly once. A process that dies loses its file lock and its transaction rolls back.
/// </remarks>
internal sealed class SqliteMigrationDialect : IMigrationDialect
{
    public bool TransactionalDdl => true;

    public string? BeginMigration => "SAVEPOINT premix_migration";

    public string? CommitMigration => "RELEASE premix_migration";

    public string? RollbackMigration => "ROLLBACK TO premix_migration; RELEASE premix_migration";

    public string HistoryTableExists => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @table";

    public MigrationLockStatement AcquireLock(DbConnection connection, TimeSpan timeout) =>
        new("BEGIN EXCLUSIVE") { TimeoutSeconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)) };

    public string? LockNotTaken(DbConnection connection, TimeSpan timeout, object? result, Exception? error) =>
        error is SqliteException { SqliteErrorCode: 5 or 6 } // SQLITE_BUSY, SQLITE_LOCKED
            ? $"Another connection has held the database '{connection.DataSource}' locked for over {timeout.TotalSeconds:0.#} s (another migrator, or a long write), "
                + "so these migrations did not run. Wait for it to finish or raise MigrationOptions.LockTimeout."
            : null;

    // The run's transaction was started by SQL, not by a SqliteTransaction, so returning the connection to the pool
    // would not end it: commit, and if that fails roll back, and if that fails too clear the pool, so that no pooled
    // connection keeps the file locked.
    public MigrationLockStatement ReleaseLock(DbConnection connection) => new("COMMIT");

    public MigrationLockStatement? ReleaseFailed { get; } = new("ROLLBACK");

    public void AbandonSession(DbConnection connection) => SqliteConnection.ClearPool((SqliteConnection)connection);
}
