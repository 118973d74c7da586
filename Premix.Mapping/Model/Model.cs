namespace Premix.Mapping;

/// <summary>All mapped entities, validated together. Immutable and shared by all threads.</summary>
public sealed class Model
{
    private readonly Dictionary<Type, EntityModel> _byType;

    internal Model(IReadOnlyList<EntityModel> entities, NamingConvention naming)
    {
        Entities = entities;
        Naming = naming;
        _byType = entities.ToDictionary(e => e.ClrType);
    }

    /// <summary>Every entity, in the order its configuration was added.</summary>
    public IReadOnlyList<EntityModel> Entities { get; }

    /// <summary>How C# names become table and column names where the mapping does not name them; raw SQL maps columns back the same way.</summary>
    public NamingConvention Naming { get; }

    /// <summary>Finds the entity mapped to <paramref name="type"/>, or <see langword="null"/>.</summary>
    public EntityModel? Find(Type type) => _byType.GetValueOrDefault(type);

    /// <summary>Gets the entity mapped to <paramref name="type"/>.</summary>
    /// <exception cref="InvalidOperationException">The type has no <see cref="ModelConfiguration{T}"/>.</exception>
    public EntityModel Get(Type type) =>
        Find(type) ?? throw new InvalidOperationException(
            $"{type.Name} is not mapped. Add a ModelConfiguration<{type.Name}> class and register it (AddModelConfiguration or AddModelConfigurationsFrom).");
}
