namespace Premix.Plans;

/// <summary>
/// The table-per-hierarchy part of one type's plan: the plans of the other types of its hierarchy (so an entity is tracked
/// and written with the plan of its own class, whichever repository saw it) and this type's discriminator value.
/// </summary>
internal sealed class InheritancePlan(Type root, IReadOnlyDictionary<Type, EntityPlan> hierarchy, object? value, Action<object, object?> setDiscriminator)
{
    /// <summary>The base of the hierarchy: the identity map keys every type of it by this type, so one row is one instance.</summary>
    public Type Root { get; } = root;

    /// <summary>Gives a new entity of this type the discriminator value of its class before it is inserted.</summary>
    public void MarkForInsert(object entity) => setDiscriminator(entity, value);

    /// <summary>The plan of <paramref name="entity"/>'s own class.</summary>
    /// <exception cref="InvalidOperationException">The class has no discriminator value in the mapping.</exception>
    public EntityPlan PlanOf(object entity, EntityPlan asked)
    {
        var type = entity.GetType();
        return hierarchy.TryGetValue(type, out var plan) && plan.Entity.Inheritance!.Value is not null
            ? plan
            : throw new InvalidOperationException(
                $"{type.Name} is not mapped in {Root.Name}'s hierarchy (met through {asked.Entity.Name}), so Premix cannot write or track it. Add .HasValue<{type.Name}>(\"...\") to {Root.Name}'s HasDiscriminator.");
    }
}
