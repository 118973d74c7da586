using System.Reflection;

namespace Premix.Mapping;

/// <summary>A validated relation between two entities: one declared end of a <see cref="ForeignKeyModel"/>.</summary>
public sealed class RelationModel
{
    internal RelationModel(RelationKind kind, Type target, PropertyInfo? navigation, ForeignKeyModel constraint, bool isPolymorphic = false)
    {
        IsPolymorphic = isPolymorphic;
        Kind = kind;
        Target = target;
        Navigation = navigation;
        Constraint = constraint;
        ForeignKeys = [.. constraint.Properties.Select(p => p.Property)];
    }

    /// <summary>The relation's direction, seen from the declaring entity.</summary>
    public RelationKind Kind { get; }

    /// <summary>The entity at the other end.</summary>
    public Type Target { get; }

    /// <summary>The navigation property on the declaring entity, if there is one.</summary>
    public PropertyInfo? Navigation { get; }

    /// <summary>The foreign key this relation follows, merged from both ends when both declare it.</summary>
    public ForeignKeyModel Constraint { get; }

    /// <summary>The foreign-key property: on the child for <see cref="RelationKind.HasMany"/> and <see cref="RelationKind.HasOne"/>, on the declaring entity for <see cref="RelationKind.BelongsTo"/>; the first of <see cref="ForeignKeys"/> when the key is composite.</summary>
    public PropertyInfo ForeignKey => Constraint.Property.Property;

    /// <summary>Every foreign-key property, in the order of the principal's key (one unless the key is composite).</summary>
    public IReadOnlyList<PropertyInfo> ForeignKeys { get; }

    /// <summary>The foreign key for messages: <c>CustomerId</c>, or <c>(OrderId, OrderNo)</c>.</summary>
    internal string ForeignKeyName => ForeignKeyModel.Describe(Constraint.Properties.Select(p => p.Name).ToList());

    /// <summary>What deleting the principal row does to the dependent rows (schema only), as the merged foreign key says.</summary>
    public ReferentialAction OnDelete => Constraint.OnDelete;

    /// <summary>
    /// Whether this relation is one target of a polymorphic navigation (<c>BelongsToOneOf(...).Via&lt;TTarget&gt;(...)</c>): the
    /// declaring entity has one such relation per target, all with the same <see cref="Navigation"/>, which holds this
    /// relation's <see cref="Target"/> exactly when this relation's foreign key is set.
    /// </summary>
    public bool IsPolymorphic { get; }

    /// <summary>Whether the declaring entity is the principal (the parent): <see cref="RelationKind.HasMany"/> or <see cref="RelationKind.HasOne"/>.</summary>
    public bool IsDeclaredOnPrincipal => Kind != RelationKind.BelongsTo;
}
