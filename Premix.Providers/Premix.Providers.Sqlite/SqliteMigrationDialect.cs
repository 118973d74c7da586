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

    public async Task AcquireLockAsync(DbConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "BEGIN EXCLUSIVE";
        command.CommandTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED
        {
            throw new MigrationException(
                $"Another connection has held the database '{connection.DataSource}' locked for over {timeout.TotalSeconds:0.#} s (another migrator, or a long write), "
                + "so these migrations did not run. Wait for it to finish or raise MigrationOptions.LockTimeout.",
                null,
                e);
        }
    }

    public async Task ReleaseLockAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // The run's transaction was started by SQL, not by a SqliteTransaction, so returning the connection to the pool
        // would not end it: commit, and if that fails roll back, so that no pooled connection keeps the file locked.
        try
        {
            await ExecuteAsync(connection, "COMMIT", cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException)
        {
            try
            {
                await ExecuteAsync(connection, "ROLLBACK", CancellationToken.None).ConfigureAwait(false);
            }
            catch (SqliteException)
            {
                SqliteConnection.ClearPool((SqliteConnection)connection);
            }

            throw;
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
