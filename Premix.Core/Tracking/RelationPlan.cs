using Premix.Mapping;
using Premix.Plans;

namespace Premix.Tracking;

/// <summary>One relation compiled for the unit of work: how to reach the other end and how to set the foreign key.</summary>
internal sealed class RelationPlan
{
    public RelationPlan(RelationModel relation, EntityPlan principal, EntityPlan dependent)
    {
        Relation = relation;
        Principal = principal;
        Dependent = dependent;
        Navigation = relation.Navigation is null ? null : PropertyAccessors.Getter(relation.Navigation);
        SetForeignKey = PropertyAccessors.Setter(relation.ForeignKey);
        GetForeignKey = PropertyAccessors.Getter(relation.ForeignKey);
    }

    public RelationModel Relation { get; }

    public EntityPlan Principal { get; }

    public EntityPlan Dependent { get; }

    /// <summary>Reads the navigation on the declaring entity: the child collection (HasMany) or the parent (BelongsTo).</summary>
    public Func<object, object?>? Navigation { get; }

    /// <summary>Sets the foreign key on a dependent.</summary>
    public Action<object, object?> SetForeignKey { get; }

    public Func<object, object?> GetForeignKey { get; }

    public bool IsHasMany => Relation.Kind == RelationKind.HasMany;
}
