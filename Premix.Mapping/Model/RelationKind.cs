namespace Premix.Mapping;

/// <summary>The direction of a relation, seen from the entity that declares it.</summary>
public enum RelationKind
{
    /// <summary>This entity is the parent of many children, whose foreign key points here.</summary>
    HasMany,

    /// <summary>This entity is the parent of at most one child, whose foreign key points here.</summary>
    HasOne,

    /// <summary>This entity holds a foreign key to its parent.</summary>
    BelongsTo,
}
