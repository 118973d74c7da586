namespace Premix.Tracking;

/// <summary>One statement a commit will send: which entity, what to do, and for an update which columns changed.</summary>
internal readonly record struct WriteOperation(EntityEntry Entry, WriteKind Kind, ulong ChangedMask)
{
    /// <summary>
    /// Whether the statement writes the updatable property at <paramref name="slot"/> (-1: a property no update sets):
    /// an insert writes every column, an update only those in its mask. A value it does not write is neither checked
    /// nor rounded: it stays in the row as loaded, and in the object and its snapshot alike.
    /// </summary>
    public bool Writes(int slot) => Kind is WriteKind.Insert or WriteKind.Upsert || (slot >= 0 && Plans.UpdateStatements.Includes(ChangedMask, slot));
}

/// <summary>What a write does.</summary>
internal enum WriteKind
{
    Insert,
    Update,

    /// <summary>An insert that updates (or, for insert-or-ignore, leaves) the existing row on a conflict; ordered like an insert.</summary>
    Upsert,

    /// <summary>An update of the soft-delete marker only.</summary>
    SoftDelete,
    Delete,
}
