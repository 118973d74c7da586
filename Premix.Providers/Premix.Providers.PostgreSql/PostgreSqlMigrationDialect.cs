using System.Data.Common;
using System.Globalization;
using Npgsql;
using Premix.Migrations;

namespace Premix.Providers.PostgreSql;

/// <summary>
/// Versioned migrations on PostgreSQL: a session-level advisory lock, and one transaction per migration (PostgreSQL's
/// DDL is transactional).
/// </summary>
internal sealed class PostgreSqlMigrationDialect : IMigrationDialect
{
    /// <summary>The advisory lock key of Premix migrations: the bytes of "premix" as a number. Advisory locks are per database.</summary>
    internal const long LockKey = 0x7072656D6978;

    public bool TransactionalDdl => true;

    public string? BeginMigration => "BEGIN";

    public string? CommitMigration => "COMMIT";

    public string? RollbackMigration => "ROLLBACK";

    public string HistoryTableExists =>
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @table";

    public async Task AcquireLockAsync(DbConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // pg_advisory_lock waits; lock_timeout bounds the wait (55P03 lock_not_available) and is reset right after.
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT set_config('lock_timeout', @timeout, false); SELECT pg_advisory_lock(@key)";
        command.CommandTimeout = 0;
        command.Parameters.Add(new NpgsqlParameter("timeout", Math.Max(1, (long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)));
        command.Parameters.Add(new NpgsqlParameter("key", LockKey));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            throw new MigrationException(
                $"Another migrator has held the migration lock (pg_advisory_lock({LockKey})) of database '{connection.Database}' for over {timeout.TotalSeconds:0.#} s, "
                + "so these migrations did not run. Wait for it to finish, raise MigrationOptions.LockTimeout, or find the session holding it in pg_locks (locktype 'advisory').",
                null,
                e);
        }
        finally
        {
            await ResetLockTimeoutAsync(connection).ConfigureAwait(false);
        }
    }

    public async Task ReleaseLockAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT pg_advisory_unlock(@key)";
        command.Parameters.Add(new NpgsqlParameter("key", LockKey));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ResetLockTimeoutAsync(DbConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "RESET lock_timeout";
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // A broken connection has no session setting left to reset; the error that broke it is the one to report.
        }
    }
}
