namespace Premix.Migrations;

/// <summary>
/// Versioned SQL migrations run from code: <c>await premix.MigrateAsync("migrations")</c> at startup, or from a
/// command-line tool. See docs/migrations.md for the file format, the history table and locking per engine.
/// </summary>
public static class VersionedMigrationExtensions
{
    /// <summary>
    /// Applies the pending migrations of <paramref name="folder"/> in version order, each in its own transaction where
    /// the engine has transactional DDL, and returns those applied. Another migrator of the same database waits for the
    /// lock and then finds nothing left to do, so each migration runs exactly once.
    /// </summary>
    /// <param name="premix">The database.</param>
    /// <param name="folder">The folder of <c>YYYYMMDDHHMMSS_name.sql</c> files (its path), or <see cref="MigrationSource.Embedded"/> files.</param>
    /// <param name="to">The last version to apply; all pending migrations when <see langword="null"/>.</param>
    /// <param name="options">The history table, lock timeout, logger and progress; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the run; a migration cancelled halfway is rolled back, or recorded as failed without transactional DDL.</param>
    /// <exception cref="MigrationException">
    /// A file is malformed, an applied file changed, an earlier migration failed and is not repaired, a pending file is
    /// older than the latest applied one, a migration failed (the run stops there), or the lock timed out.
    /// </exception>
    /// <exception cref="NotSupportedException">The provider does not support versioned migrations.</exception>
    public static Task<IReadOnlyList<MigrationFile>> MigrateAsync(
        this IPremix premix, MigrationSource folder, long? to = null, MigrationOptions? options = null, CancellationToken cancellationToken = default) =>
        new MigrationRunner(premix, options).UpAsync(folder, to, cancellationToken);

    /// <summary>
    /// Reverts the last <paramref name="steps"/> applied migrations, newest first, by running their Down sections, and
    /// deletes their history rows; returns those reverted. Checks every one has a Down section before reverting any.
    /// </summary>
    /// <param name="premix">The database.</param>
    /// <param name="folder">The folder of <c>YYYYMMDDHHMMSS_name.sql</c> files (its path), or <see cref="MigrationSource.Embedded"/> files.</param>
    /// <param name="steps">How many migrations to revert, at least 1; fewer are reverted when fewer are applied.</param>
    /// <param name="options">The history table, lock timeout, logger and progress; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="MigrationException">
    /// A file is malformed or changed, a migration to revert has no file or no Down section, an earlier migration failed
    /// and is not repaired, a Down section failed (the run stops there), or the lock timed out.
    /// </exception>
    /// <exception cref="NotSupportedException">The provider does not support versioned migrations.</exception>
    public static Task<IReadOnlyList<MigrationFile>> MigrateDownAsync(
        this IPremix premix, MigrationSource folder, int steps = 1, MigrationOptions? options = null, CancellationToken cancellationToken = default) =>
        new MigrationRunner(premix, options).DownAsync(folder, steps, cancellationToken);

    /// <summary>
    /// Every migration of <paramref name="folder"/> and of the history table, in version order, as pending, applied,
    /// failed, checksum changed or file missing. Reads only: creates no table and takes no lock.
    /// </summary>
    /// <param name="premix">The database.</param>
    /// <param name="folder">The folder of <c>YYYYMMDDHHMMSS_name.sql</c> files (its path), or <see cref="MigrationSource.Embedded"/> files.</param>
    /// <param name="options">The history table; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="MigrationException">A file is malformed, or the history table cannot be read.</exception>
    /// <exception cref="NotSupportedException">The provider does not support versioned migrations.</exception>
    public static Task<IReadOnlyList<MigrationState>> MigrationStatusAsync(
        this IPremix premix, MigrationSource folder, MigrationOptions? options = null, CancellationToken cancellationToken = default) =>
        new MigrationRunner(premix, options).StatusAsync(folder, cancellationToken);

    /// <summary>
    /// Settles a migration recorded as failed (on MySQL or MariaDB, whose DDL cannot roll back, or after a migrator
    /// died halfway) once you have fixed the database by hand: forget it so it runs again, or mark it applied.
    /// </summary>
    /// <param name="premix">The database.</param>
    /// <param name="folder">The folder of <c>YYYYMMDDHHMMSS_name.sql</c> files (its path), or <see cref="MigrationSource.Embedded"/> files.</param>
    /// <param name="version">The failed migration's version.</param>
    /// <param name="repair"><see cref="MigrationRepair.Forget"/> if you undid its changes, <see cref="MigrationRepair.MarkApplied"/> if you completed them.</param>
    /// <param name="options">The history table, lock timeout and logger; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the repair.</param>
    /// <exception cref="MigrationException">The version is not recorded as failed, or its file is missing for <see cref="MigrationRepair.MarkApplied"/>.</exception>
    /// <exception cref="NotSupportedException">The provider does not support versioned migrations.</exception>
    public static Task RepairMigrationAsync(
        this IPremix premix, MigrationSource folder, long version, MigrationRepair repair, MigrationOptions? options = null, CancellationToken cancellationToken = default) =>
        new MigrationRunner(premix, options).RepairAsync(folder, version, repair, cancellationToken);

    /// <summary>
    /// Adopts versioned migrations on a database that got its schema another way (by <c>SyncAsync</c>, by hand, or
    /// from another tool): records every migration up to <paramref name="version"/> as applied, without running it,
    /// so the next <see cref="MigrateAsync"/> runs only the later ones. Returns those recorded.
    /// </summary>
    /// <param name="premix">The database.</param>
    /// <param name="folder">The folder of <c>YYYYMMDDHHMMSS_name.sql</c> files (its path), or <see cref="MigrationSource.Embedded"/> files.</param>
    /// <param name="version">The last migration whose changes the database already has; it must be a file's version.</param>
    /// <param name="options">The history table, lock timeout and logger; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the baseline; nothing is recorded then.</param>
    /// <exception cref="MigrationException">
    /// No file has that version, a file is malformed, or the history table already records migrations (a baseline only
    /// adopts a database that has none). Nothing is recorded.
    /// </exception>
    /// <exception cref="NotSupportedException">The provider does not support versioned migrations.</exception>
    public static Task<IReadOnlyList<MigrationFile>> BaselineMigrationsAsync(
        this IPremix premix, MigrationSource folder, long version, MigrationOptions? options = null, CancellationToken cancellationToken = default) =>
        new MigrationRunner(premix, options).BaselineAsync(folder, version, cancellationToken);
}
