using Premix.Plans;

namespace Premix.Tracking;

/// <summary>A write collected by a repository, waiting for the commit.</summary>
internal readonly record struct PendingWrite(WriteKind Kind, object Entity, EntityPlan Plan);

/// <summary>What a pending write does.</summary>
internal enum WriteKind
{
    Insert,
    Update,
    Delete,
}
