namespace Premix.Testing.RecordingFake;

/// <summary>What a write of a commit did to its row.</summary>
public enum RecordedWriteKind
{
    /// <summary>A new row (<c>Add</c>, or reached through a new parent's collection).</summary>
    Insert,

    /// <summary>Changed columns of a loaded entity, or every column of one given to <c>Update</c>.</summary>
    Update,

    /// <summary>The soft-delete marker set by <c>Remove</c> (or its clearing by <c>Restore</c> is an <see cref="Update"/>).</summary>
    SoftDelete,

    /// <summary>The row deleted (<c>Remove</c>, or <c>HardDelete</c> of a soft-deletable entity).</summary>
    Delete,
}

/// <summary>One write a commit sent (or would have sent, when it failed): which entity, what it did, and its values at that moment.</summary>
/// <param name="Kind">Insert, update, soft delete or delete.</param>
/// <param name="Entity">A copy of the entity's mapped values as written (with its generated key, after before-hooks and rounding).</param>
/// <param name="ChangedProperties">For an update, the properties it wrote (every updatable one for an entity given to <c>Update</c>); empty otherwise.</param>
public sealed record RecordedWrite(RecordedWriteKind Kind, object Entity, IReadOnlyList<string> ChangedProperties)
{
    /// <summary>The entity's type.</summary>
    public Type EntityType => Entity.GetType();

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {EntityType.Name}{(ChangedProperties.Count == 0 ? string.Empty : " (" + string.Join(", ", ChangedProperties) + ")")}";
}

/// <summary>One call of <c>CommitAsync</c> that had something to write: its writes in the order a database would get them, and its error if it failed.</summary>
/// <param name="Writes">The writes, parents inserted first and children deleted first.</param>
/// <param name="Error">Why it failed (scripted, a stale version, a unique key, a validation rule), or null when it succeeded.</param>
public sealed record RecordedCommit(IReadOnlyList<RecordedWrite> Writes, Exception? Error)
{
    /// <summary>Whether the commit landed.</summary>
    public bool Succeeded => Error is null;

    /// <summary>The entities of <typeparamref name="T"/> written with <paramref name="kind"/>, as copies taken at the commit.</summary>
    public IReadOnlyList<T> Of<T>(RecordedWriteKind kind)
        where T : class => Writes.Where(w => w.Kind == kind && w.Entity is T).Select(w => (T)w.Entity).ToList();

    /// <inheritdoc />
    public override string ToString() => (Succeeded ? "Commit: " : $"Failed commit ({Error!.GetType().Name}): ") + string.Join("; ", Writes);
}
