namespace Premix.Tracking;

/// <summary>One statement a commit will send: which entity, what to do, and for an update which columns changed.</summary>
internal readonly record struct WriteOperation(EntityEntry Entry, WriteKind Kind, ulong ChangedMask);

/// <summary>What a write does.</summary>
internal enum WriteKind
{
    Insert,
    Update,

    /// <summary>An update of the soft-delete marker only.</summary>
    SoftDelete,
    Delete,
}
