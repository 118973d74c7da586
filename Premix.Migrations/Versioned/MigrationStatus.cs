namespace Premix.Migrations;

/// <summary>Where one migration stands in a database.</summary>
public enum MigrationStatus
{
    /// <summary>The file exists and has not been applied.</summary>
    Pending,

    /// <summary>Applied, and the file still has the checksum it had then.</summary>
    Applied,

    /// <summary>
    /// Failed on an engine without transactional DDL (MySQL, MariaDB), or the migrator died while running it: the
    /// database may be half-migrated. Migrations refuse to run until it is repaired.
    /// </summary>
    Failed,

    /// <summary>Applied, but the file changed since: migrations refuse to run until the file is restored.</summary>
    ChecksumChanged,

    /// <summary>Recorded in the history table, but no file of the folder has its version.</summary>
    FileMissing,
}
