using System.Data.Common;

namespace Premix.Plans;

/// <summary>
/// What <c>premix optimize</c> generates for one entity: its columns with their accessors, its relations with their navigations' accessors, the SQL of its statements (to
/// check that the model has not changed since), a row reader and the snapshot delegates of the unit of work.
/// </summary>
public sealed class GeneratedEntity
{
    /// <summary>Creates the generated entity of <paramref name="entityType"/>.</summary>
    public GeneratedEntity(Type entityType) => EntityType = entityType ?? throw new ArgumentNullException(nameof(entityType));

    /// <summary>The mapped class.</summary>
    public Type EntityType { get; }

    /// <summary>The table, as the mapping named it (schema-qualified as <c>schema.table</c> when it has a schema).</summary>
    public required string Table { get; init; }

    /// <summary>Every mapped property, in the model's order (the order of the select list).</summary>
    public required IReadOnlyList<GeneratedProperty> Properties { get; init; }

    /// <summary>The SQL of the plan's statements when the model was generated, in <see cref="EntityPlan.Statements"/>'s order.</summary>
    public required IReadOnlyList<GeneratedStatement> Statements { get; init; }

    /// <summary>
    /// Every relation the entity declares (HasMany, HasOne, BelongsTo), in the model's order, with its navigation's accessors;
    /// the start compares them with the mapping's.
    /// </summary>
    public IReadOnlyList<GeneratedRelation> Relations { get; init; } = [];

    /// <summary>Builds an entity from the current row of a reader over the plan's select list, reading each column by ordinal.</summary>
    public required Func<DbDataReader, object> ReadRow { get; init; }

    /// <summary>Copies an entity for its snapshot (a byte array is copied too, since it can change in place).</summary>
    public required Func<object, object> Copy { get; init; }

    /// <summary>Copies every mapped property from a freshly read instance (first argument) onto a tracked one (second).</summary>
    public required Action<object, object> Assign { get; init; }
}
