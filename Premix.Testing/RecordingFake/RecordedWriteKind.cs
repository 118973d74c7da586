namespace Premix.Testing;

/// <summary>What a write of a commit did to its row.</summary>
public enum RecordedWriteKind
{
    /// <summary>A new row (<c>Add</c>, or reached through a new parent's collection).</summary>
    Insert,

    /// <summary>An entity given to <c>Upsert</c>: inserted, or written over the row it conflicted with.</summary>
    Upsert,

    /// <summary>An entity given to <c>InsertOrIgnore</c>: inserted, unless it conflicted with an existing row.</summary>
    InsertOrIgnore,

    /// <summary>Changed columns of a loaded entity, or every column of one given to <c>Update</c>.</summary>
    Update,

    /// <summary>The soft-delete marker set by <c>Remove</c> (clearing it with <c>Restore</c> is an <see cref="Update"/>).</summary>
    SoftDelete,

    /// <summary>The row deleted (<c>Remove</c>, or <c>HardDelete</c> of a soft-deletable entity).</summary>
    Delete,
}
