namespace Premix.Migrations;

/// <summary>What a schema sync may do beyond safe changes.</summary>
public sealed class SyncOptions
{
    /// <summary>Applies changes that can lose data (dropping a column, narrowing a type, requiring a column that holds nulls) instead of refusing them.</summary>
    public bool AllowDestructive { get; init; }

    /// <summary>Drops tables the mapping does not know (destructive: also needs <see cref="AllowDestructive"/>). Off by default: other tables are left alone.</summary>
    public bool DropUnmappedTables { get; init; }

    /// <summary>
    /// Drops the indexes of mapped tables that the mapping does not name (no data is lost). Off by default: such indexes
    /// are left alone and listed in <see cref="SchemaDiff.UnmappedIndexes"/>.
    /// </summary>
    public bool DropUnmappedIndexes { get; init; }

    /// <summary>
    /// Drops the foreign keys of mapped tables over columns that no relation of the mapping uses as its key (no data is
    /// lost). Off by default: such foreign keys are left alone and listed in <see cref="SchemaDiff.UnmappedForeignKeys"/>.
    /// </summary>
    public bool DropUnmappedForeignKeys { get; init; }
}
