namespace Premix.Testing;

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
