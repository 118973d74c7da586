namespace Premix.Migrations;

/// <summary>What a schema sync may do beyond safe changes.</summary>
public sealed class SyncOptions
{
    /// <summary>Applies changes that can lose data (dropping a column, narrowing a type, requiring a column that holds nulls) instead of refusing them.</summary>
    public bool AllowDestructive { get; init; }

    /// <summary>Drops tables the mapping does not know (destructive: also needs <see cref="AllowDestructive"/>). Off by default: other tables are left alone.</summary>
    public bool DropUnmappedTables { get; init; }
}
