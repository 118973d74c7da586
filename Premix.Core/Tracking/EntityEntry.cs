using Premix.Plans;

namespace Premix.Tracking;

/// <summary>What the unit of work knows of one entity instance.</summary>
internal sealed class EntityEntry(object entity, EntityPlan plan, EntityState state, object? snapshot)
{
    public object Entity { get; } = entity;

    public EntityPlan Plan { get; } = plan;

    public EntityState State { get; set; } = state;

    /// <summary>Whether Remove was asked to delete the row even though the entity has a soft-delete marker.</summary>
    public bool HardDelete { get; set; }

    /// <summary>For an entity given to Upsert or InsertOrIgnore (state <see cref="EntityState.Added"/>): how it is written; otherwise null.</summary>
    public UpsertRequest? Upsert { get; set; }

    /// <summary>A copy of the entity as it was loaded or last committed; null for entities not yet in the database.</summary>
    public object? Snapshot { get; set; } = snapshot;

    /// <summary>The next entry of the identity map whose key has the same value, for another type (<see cref="IdentityMap"/>).</summary>
    public EntityEntry? SameKeyValue { get; set; }
}

/// <summary>Where a tracked entity stands relative to the database.</summary>
internal enum EntityState
{
    /// <summary>New: inserted on commit (or upserted, when the entry has an <see cref="EntityEntry.Upsert"/>).</summary>
    Added,

    /// <summary>Loaded or committed: updated on commit if it differs from its snapshot.</summary>
    Unchanged,

    /// <summary>Attached with Update() without a snapshot: every column is written on commit.</summary>
    Modified,

    /// <summary>Deleted on commit.</summary>
    Deleted,
}
