using System.Data.Common;
using System.Globalization;
using Npgsql;
using Premix.Migrations;

namespace Premix.Providers.PostgreSql;

/// <summary>
/// Versioned migrations on PostgreSQL: one transaction per migration (PostgreSQL's DDL is transactional), each taking a
/// transaction-level advisory lock first, so nothing outlives the transaction on the session: it works the same
/// directly and through a transaction-mode pooler such as PgBouncer.
/// </summary>
internal sealed class PostgreSqlMigrationDialect : IMigrationDialect
{
    /// <summary>The advisory lock key of Premix migrations: the bytes of "premix" as a number. Advisory locks are per database.</summary>
    internal const long LockKey = 0x7072656D6978;

    public bool TransactionalDdl => true;

    public bool LocksInTransaction => true;

    public string? BeginMigration => "BEGIN";

    public string? CommitMigration => "COMMIT";

    public string? RollbackMigration => "ROLLBACK";

    public string HistoryTableExists =>
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @table";

    // pg_advisory_xact_lock waits; lock_timeout bounds the wait (55P03 lock_not_available). set_config(..., true) is
    // SET LOCAL: it ends with the transaction, like the lock, and is put back to the default right after the lock.
    public MigrationLockStatement AcquireLock(DbConnection connection, TimeSpan timeout) =>
        new("SELECT set_config('lock_timeout', @timeout, true); SELECT pg_advisory_xact_lock(@key)")
        {
            Parameters = [new("timeout", Math.Max(1, (long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)), new("key", LockKey)],
            TimeoutSeconds = 0,
        };

    public string? LockNotTaken(DbConnection connection, TimeSpan timeout, object? result, Exception? error) =>
        error is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable }
            ? $"Another migrator has held the migration lock (pg_advisory_xact_lock({LockKey})) of database '{connection.Database}' for over {timeout.TotalSeconds:0.#} s, "
                + "so these migrations did not run. Wait for it to finish, raise MigrationOptions.LockTimeout, or find the session holding it in pg_locks (locktype 'advisory')."
            : null;

    // The migration's own statements wait for their locks as long as the server's setting says, not LockTimeout.
    public MigrationLockStatement? AfterAcquireLock { get; } = new("SET LOCAL lock_timeout TO DEFAULT");

    public MigrationLockStatement ReleaseLock(DbConnection connection) =>
        throw new NotSupportedException("The migration lock of PostgreSQL is a transaction's: COMMIT or ROLLBACK releases it.");
}
