using System.Data.Common;

namespace Premix.Migrations;

/// <summary>
/// What versioned migrations need to know about one engine: how to lock out other migrators, whether DDL is
/// transactional, and how to find the history table (described once by Premix and created through the engine's
/// <see cref="SchemaDialect"/>). Each provider package implements it; users never call it.
/// </summary>
/// <remarks>
/// The dialect describes statements; Premix runs them all through its one command path. The runner runs, on one
/// connection it owns: <see cref="AcquireLock"/> (then <see cref="AfterAcquireLock"/>), the history table's SQL, per
/// migration <see cref="BeginMigration"/>, the migration's SQL, the history write, <see cref="CommitMigration"/> (or
/// <see cref="RollbackMigration"/>), and finally <see cref="ReleaseLock"/> (and <see cref="ReleaseFailed"/> if that fails).
/// </remarks>
public interface IMigrationDialect
{
    /// <summary>
    /// Whether a migration's DDL can be rolled back. When false (MySQL, MariaDB), a migration that fails halfway stays
    /// half-applied: the runner records it as failed and refuses to go on until it is repaired.
    /// </summary>
    bool TransactionalDdl { get; }

    /// <summary>The SQL that starts one migration's transaction, or <see langword="null"/> without transactional DDL.</summary>
    string? BeginMigration { get; }

    /// <summary>The SQL that commits one migration's transaction, or <see langword="null"/> without transactional DDL.</summary>
    string? CommitMigration { get; }

    /// <summary>The SQL that rolls back one migration's transaction, or <see langword="null"/> without transactional DDL.</summary>
    string? RollbackMigration { get; }

    /// <summary>A query returning the number of tables named <c>@table</c> in the connection's database or schema (0 or 1).</summary>
    string HistoryTableExists { get; }

    /// <summary>
    /// Whether the migration lock lives in a transaction instead of the session (PostgreSQL's <c>pg_advisory_xact_lock</c>):
    /// the runner then takes it at the start of each migration's transaction, re-reads the history under it, and lets the
    /// transaction's end release it, so no lock or setting is ever left on a session. It holds through a
    /// transaction-mode pooler (PgBouncer), where consecutive transactions of one client may run on different server
    /// connections. <see cref="ReleaseLock"/> is then not called.
    /// </summary>
    bool LocksInTransaction => false;

    /// <summary>
    /// The statement that takes the migration lock of <paramref name="connection"/>'s database on that connection, waiting
    /// up to <paramref name="timeout"/> while another migrator holds it. The lock belongs to the session (or, with
    /// <see cref="LocksInTransaction"/>, to the transaction open on it), so a migrator that dies releases it.
    /// </summary>
    MigrationLockStatement AcquireLock(DbConnection connection, TimeSpan timeout);

    /// <summary>
    /// Why <see cref="AcquireLock"/> did not take the lock, as the message of the <see cref="MigrationException"/> Premix
    /// raises (say who holds it and what to do), or <see langword="null"/>: it was taken, or <paramref name="error"/> is no
    /// lock wait that ran out (Premix then reports it as a failure to take the lock).
    /// </summary>
    /// <param name="connection">The migrator's connection.</param>
    /// <param name="timeout">How long it waited.</param>
    /// <param name="result">The statement's first value, when it ran and <see cref="MigrationLockStatement.ReturnsResult"/>.</param>
    /// <param name="error">The driver's error, when the statement failed.</param>
    string? LockNotTaken(DbConnection connection, TimeSpan timeout, object? result, Exception? error);

    /// <summary>A statement run right after <see cref="AcquireLock"/>, whether it took the lock or not, its failure ignored (PostgreSQL resets its <c>lock_timeout</c>); <see langword="null"/> for none.</summary>
    MigrationLockStatement? AfterAcquireLock => null;

    /// <summary>
    /// A statement run before each migration that returns whether this session still holds the lock (1 or true), or
    /// <see langword="null"/> for none. A session lock is lost when a proxy that multiplexes sessions (ProxySQL, MaxScale)
    /// moves the migrator to another server connection, or when a migration releases it: Premix then stops with
    /// <see cref="LockLost"/> instead of running a migration another migrator may run too.
    /// </summary>
    MigrationLockStatement? VerifyLock(DbConnection connection) => null;

    /// <summary>The message of the <see cref="MigrationException"/> raised when <see cref="VerifyLock"/> says the lock is no longer held.</summary>
    string LockLost(DbConnection connection) => "This migrator no longer holds the migration lock, so no further migration ran.";

    /// <summary>The statement that releases the lock taken on <paramref name="connection"/>.</summary>
    MigrationLockStatement ReleaseLock(DbConnection connection);

    /// <summary>The statement run when <see cref="ReleaseLock"/> fails (SQLite rolls back its run's transaction), <see langword="null"/> for none; the failure is still reported.</summary>
    MigrationLockStatement? ReleaseFailed => null;

    /// <summary>
    /// Called when <see cref="ReleaseFailed"/> failed too: keeps the connection's session from going back to its pool still
    /// holding the lock (SQLite clears the pool). Nothing by default.
    /// </summary>
    void AbandonSession(DbConnection connection)
    {
    }
}
