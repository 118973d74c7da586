namespace Premix.Migrations;

/// <summary>How <c>RepairMigrationAsync</c> settles a failed migration once the database has been fixed by hand.</summary>
public enum MigrationRepair
{
    /// <summary>Deletes its history row: you undid what it had done, and it runs again on the next migrate up.</summary>
    Forget,

    /// <summary>Records it as applied with the file's current checksum: you completed what it had left undone.</summary>
    MarkApplied,
}
