namespace Premix.Migrations;

/// <summary>
/// An index of a mapped table that the mapping does not name (made by hand, by a DBA or by another tool). A diff leaves
/// it alone and lists it for information; it is not a difference, so the startup check passes.
/// </summary>
/// <param name="Table">The table as it is.</param>
/// <param name="Index">The index.</param>
public sealed record UnmappedIndex(TableSchema Table, IndexSchema Index)
{
    /// <summary>What the index is, in one line for people.</summary>
    public string Description => $"{(Index.IsUnique ? "unique " : string.Empty)}index {Index.Name} on {Table.DisplayName} ({string.Join(", ", Index.Columns)}) is not in the mapping; left alone";

    /// <inheritdoc />
    public override string ToString() => Description;
}
