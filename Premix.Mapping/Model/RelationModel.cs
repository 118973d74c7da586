using System.Reflection;

namespace Premix.Mapping;

/// <summary>A validated relation between two entities.</summary>
public sealed class RelationModel
{
    internal RelationModel(RelationKind kind, Type target, PropertyInfo? navigation, PropertyInfo foreignKey, ReferentialAction onDelete)
    {
        OnDelete = onDelete;
        Kind = kind;
        Target = target;
        Navigation = navigation;
        ForeignKey = foreignKey;
    }

    /// <summary>The relation's direction, seen from the declaring entity.</summary>
    public RelationKind Kind { get; }

    /// <summary>The entity at the other end.</summary>
    public Type Target { get; }

    /// <summary>The navigation property on the declaring entity, if there is one.</summary>
    public PropertyInfo? Navigation { get; }

    /// <summary>The foreign-key property: on the child for <see cref="RelationKind.HasMany"/> and <see cref="RelationKind.HasOne"/>, on the declaring entity for <see cref="RelationKind.BelongsTo"/>.</summary>
    public PropertyInfo ForeignKey { get; }

    /// <summary>What deleting the principal row does to the dependent rows (schema only).</summary>
    public ReferentialAction OnDelete { get; }

    /// <summary>Whether the declaring entity is the principal (the parent): <see cref="RelationKind.HasMany"/> or <see cref="RelationKind.HasOne"/>.</summary>
    public bool IsDeclaredOnPrincipal => Kind != RelationKind.BelongsTo;
}
