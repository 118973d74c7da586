namespace Premix.Migrations;

/// <summary>
/// A foreign key of a mapped table over columns no relation of the mapping uses as its key (made by hand, by another
/// tool, or one a scaffolded model keeps as a plain property to break a cycle of required parents). A diff leaves it
/// alone and lists it for information; it is not a difference, so the startup check passes.
/// </summary>
/// <param name="Table">The table as it is.</param>
/// <param name="ForeignKey">The foreign key.</param>
public sealed record UnmappedForeignKey(TableSchema Table, ForeignKeySchema ForeignKey)
{
    /// <summary>What the foreign key is, in one line for people.</summary>
    public string Description =>
        $"foreign key {ForeignKey.Name} on {Table.DisplayName} ({string.Join(", ", ForeignKey.Columns)}) -> {(ForeignKey.PrincipalSchema is null ? string.Empty : ForeignKey.PrincipalSchema + ".")}{ForeignKey.PrincipalTable} is not in the mapping; left alone";

    /// <inheritdoc />
    public override string ToString() => Description;
}
