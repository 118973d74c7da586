using System.Data.Common;

namespace Premix.Plans;

/// <summary>
/// The delegates <c>premix optimize</c> generates for one entity: a getter, setter and comparer per property and the
/// navigation accessors of each relation (in the order of its <see cref="GeneratedEntity"/>'s description), the row reader
/// and the snapshot copy and assign. Made once per process, on the entity's first use.
/// </summary>
public sealed class GeneratedEntityCode
{
    /// <summary>The accessors of each mapped property, in the order of <see cref="GeneratedEntity.Properties"/>.</summary>
    public required IReadOnlyList<GeneratedPropertyCode> Properties { get; init; }

    /// <summary>The navigation code of each relation, in the order of <see cref="GeneratedEntity.Relations"/>.</summary>
    public IReadOnlyList<GeneratedRelationCode> Relations { get; init; } = [];

    /// <summary>
    /// The value readers of each named query filter but the tenant column's, in the order of <see cref="GeneratedEntity"/>'s
    /// description; empty in code written before filters were generated (which had none).
    /// </summary>
    public IReadOnlyList<GeneratedFilterCode> Filters { get; init; } = [];

    /// <summary>Builds an entity from the current row of a reader over the plan's select list, reading each column by ordinal.</summary>
    public required Func<DbDataReader, object> ReadRow { get; init; }

    /// <summary>Copies an entity for its snapshot (a byte array is copied too, since it can change in place).</summary>
    public required Func<object, object> Copy { get; init; }

    /// <summary>Copies every mapped property from a freshly read instance (first argument) onto a tracked one (second).</summary>
    public required Action<object, object> Assign { get; init; }
}
