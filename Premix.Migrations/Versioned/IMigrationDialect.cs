using System.Data.Common;

namespace Premix.Migrations;

/// <summary>
/// What versioned migrations need to know about one engine: how to lock out other migrators, whether DDL is
/// transactional, and how to find the history table (described once by Premix and created through the engine's
/// <see cref="SchemaDialect"/>). Each provider package implements it; users never call it.
/// </summary>
/// <remarks>
/// The runner calls, on one connection it owns: <see cref="AcquireLockAsync"/>, then the history table's SQL, then per
/// migration <see cref="BeginMigration"/>, the migration's SQL, the history write, <see cref="CommitMigration"/> (or
/// <see cref="RollbackMigration"/>), and finally <see cref="ReleaseLockAsync"/>.
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
    /// Takes the migration lock of the connection's database on <paramref name="connection"/>, waiting up to
    /// <paramref name="timeout"/> while another migrator holds it. The lock belongs to the session, so a migrator
    /// that dies releases it.
    /// </summary>
    /// <exception cref="MigrationException">The lock was not acquired within <paramref name="timeout"/>.</exception>
    Task AcquireLockAsync(DbConnection connection, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Releases the lock taken by <see cref="AcquireLockAsync"/> on <paramref name="connection"/>.</summary>
    Task ReleaseLockAsync(DbConnection connection, CancellationToken cancellationToken);
}
