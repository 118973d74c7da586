namespace Premix.Migrations;

/// <summary>Which section of a migration file runs.</summary>
public enum MigrationDirection
{
    /// <summary>The Up section: the migration is applied.</summary>
    Up,

    /// <summary>The Down section: the migration is reverted.</summary>
    Down,
}
