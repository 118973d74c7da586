namespace Premix.Mapping;

/// <summary>All mapped entities, validated together. Immutable and shared by all threads.</summary>
public sealed class Model
{
    private readonly Dictionary<Type, EntityModel> _byType;
    private readonly Dictionary<Type, int> _insertRanks;

    internal Model(IReadOnlyList<EntityModel> entities, IReadOnlyList<ForeignKeyModel> foreignKeys, NamingConvention naming, Dictionary<Type, int> insertRanks)
    {
        Entities = entities;
        ForeignKeys = foreignKeys;
        Naming = naming;
        _byType = entities.ToDictionary(e => e.ClrType);
        _insertRanks = insertRanks;
    }

    /// <summary>Every entity, in the order its configuration was added.</summary>
    public IReadOnlyList<EntityModel> Entities { get; }

    /// <summary>
    /// Every foreign key, once each: the declarations of both ends (<c>HasMany</c>/<c>HasOne</c> on the parent,
    /// <c>BelongsTo</c> on the child) merged into one description that the schema and the unit of work follow.
    /// </summary>
    public IReadOnlyList<ForeignKeyModel> ForeignKeys { get; }

    /// <summary>How C# names become table and column names where the mapping does not name them; raw SQL maps columns back the same way.</summary>
    public NamingConvention Naming { get; }

    /// <summary>Finds the entity mapped to <paramref name="type"/>, or <see langword="null"/>.</summary>
    public EntityModel? Find(Type type) => _byType.GetValueOrDefault(type);

    /// <summary>Where <paramref name="type"/> stands in the insert order of a commit (0: inserted first; deletes run in reverse).</summary>
    internal int InsertRank(Type type) => _insertRanks[type];

    /// <summary>Gets the entity mapped to <paramref name="type"/>.</summary>
    /// <exception cref="InvalidOperationException">The type has no <see cref="ModelConfiguration{T}"/>.</exception>
    public EntityModel Get(Type type) =>
        Find(type) ?? throw new InvalidOperationException(
            $"{type.Name} is not mapped. Add a ModelConfiguration<{type.Name}> class and register it (AddModelConfiguration or AddModelConfigurationsFrom).");
}
