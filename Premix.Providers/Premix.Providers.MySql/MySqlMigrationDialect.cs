using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Premix.Migrations;

namespace Premix.Providers.MySql;

/// <summary>
/// Versioned migrations on MySQL and MariaDB: a session-level named lock (<c>GET_LOCK</c>), and no transactions,
/// because DDL commits implicitly there: a failed migration is recorded as failed.
/// </summary>
internal sealed class MySqlMigrationDialect : IMigrationDialect
{
    public bool TransactionalDdl => false;

    public string? BeginMigration => null;

    public string? CommitMigration => null;

    public string? RollbackMigration => null;

    public string HistoryTableExists =>
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = @table";

    /// <summary>
    /// The lock's name: named locks are server-wide, so it names the database (hashed when the name would pass
    /// MySQL's 64-character limit).
    /// </summary>
    internal static string LockName(string database)
    {
        const string Prefix = "premix_migrations.";
        return Prefix.Length + database.Length <= 64
            ? Prefix + database
            : Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(database)))[..40];
    }

    public MigrationLockStatement AcquireLock(DbConnection connection, TimeSpan timeout) => new("SELECT GET_LOCK(@name, @timeout)")
    {
        Parameters = [new("name", LockName(connection.Database)), new("timeout", Math.Max(1, (long)Math.Ceiling(timeout.TotalSeconds)))],
        TimeoutSeconds = 0, // GET_LOCK's own timeout bounds the wait
        ReturnsResult = true,
    };

    public string? LockNotTaken(DbConnection connection, TimeSpan timeout, object? result, Exception? error)
    {
        if (error is not null)
        {
            return null;
        }

        var name = LockName(connection.Database);
        return (result is null or DBNull ? (long?)null : Convert.ToInt64(result, CultureInfo.InvariantCulture)) switch
        {
            1 => null,
            0 => $"Another migrator has held the migration lock GET_LOCK('{name}') for over {timeout.TotalSeconds:0.#} s, so these migrations did not run. "
                + "Wait for it to finish, raise MigrationOptions.LockTimeout, or find the session holding it with SELECT IS_USED_LOCK('" + name + "').",
            _ => $"GET_LOCK('{name}') returned NULL (an error in the server, or the session was killed), so these migrations did not run; try again.",
        };
    }

    // IS_USED_LOCK names the session holding the lock: this one, unless a proxy moved the migrator to another server connection.
    public MigrationLockStatement? VerifyLock(DbConnection connection) =>
        new("SELECT COALESCE(IS_USED_LOCK(@name) = CONNECTION_ID(), 0)") { Parameters = [new("name", LockName(connection.Database))], ReturnsResult = true };

    public string LockLost(DbConnection connection) =>
        $"This migrator's session no longer holds the migration lock GET_LOCK('{LockName(connection.Database)}'), so no further migration ran: "
        + "the server connection changed under it (a proxy that multiplexes sessions, such as ProxySQL or MaxScale, moved it) or a migration released the lock. "
        + "GET_LOCK belongs to one server session: run premix migrate on a direct connection to the server, or one the proxy pins to a session, and run it again.";

    public MigrationLockStatement ReleaseLock(DbConnection connection) =>
        new("SELECT RELEASE_LOCK(@name)") { Parameters = [new("name", LockName(connection.Database))], ReturnsResult = true };
}
