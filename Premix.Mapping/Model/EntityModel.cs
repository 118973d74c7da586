using System.Diagnostics.CodeAnalysis;

namespace Premix.Mapping;

/// <summary>
/// The validated, immutable description of one entity: table, key, columns, relations and rules.
/// Built once at startup and shared by all threads.
/// </summary>
public sealed class EntityModel
{
    /// <summary>
    /// The members of an entity class Premix reads by reflection: its public properties (the conventions map them) and its
    /// constructors (the start checks that generated code can create it). Every way a class becomes an entity names it as a
    /// type argument carrying this annotation (<c>ModelConfiguration&lt;T&gt;</c>, <c>HasValue&lt;TDerived&gt;</c>), so a
    /// trimmed application keeps them.
    /// </summary>
    public const DynamicallyAccessedMemberTypes Members = DynamicallyAccessedMemberTypes.PublicProperties
        | DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.NonPublicConstructors;

    internal EntityModel([DynamicallyAccessedMembers(Members)] Type clrType, string table, string? schema, IReadOnlyList<PropertyModel> properties)
    {
        ClrType = clrType;
        Table = table;
        Schema = schema;
        Properties = properties;
        Key = properties.Where(p => p.IsKey).ToArray();
        Version = properties.FirstOrDefault(p => p.IsVersion);
        SoftDeleteMarker = properties.FirstOrDefault(p => p.IsSoftDeleteMarker);
    }

    /// <summary>The entity class.</summary>
    [DynamicallyAccessedMembers(Members)]
    public Type ClrType { get; }

    /// <summary>The entity's name in messages (the class name).</summary>
    public string Name => ClrType.Name;

    /// <summary>The table name.</summary>
    public string Table { get; }

    /// <summary>The schema, or <see langword="null"/> for the connection's default.</summary>
    public string? Schema { get; }

    /// <summary>Every mapped property, in declaration order of the class.</summary>
    public IReadOnlyList<PropertyModel> Properties { get; }

    /// <summary>The key properties (one, or several for a composite key).</summary>
    public IReadOnlyList<PropertyModel> Key { get; }

    /// <summary>The generated key, if the database generates it.</summary>
    public PropertyModel? GeneratedKey => Key.Count == 1 && Key[0].IsGenerated ? Key[0] : null;

    /// <summary>The version property for optimistic locking, if any.</summary>
    public PropertyModel? Version { get; }

    /// <summary>The soft-delete marker, if any.</summary>
    public PropertyModel? SoftDeleteMarker { get; }

    /// <summary>The named query filters (<c>HasQueryFilter</c>), in declaration order; soft delete is not among them.</summary>
    public IReadOnlyList<QueryFilterModel> QueryFilters { get; internal init; } = [];

    /// <summary>The relations this entity declares.</summary>
    public IReadOnlyList<RelationModel> Relations { get; internal set; } = [];

    /// <summary>The indexes declared with <c>HasIndex</c>.</summary>
    public IReadOnlyList<IndexModel> Indexes { get; internal init; } = [];

    /// <summary>The columns of the table that no property maps (<c>HasUnmappedColumn</c>): a schema diff keeps them.</summary>
    public IReadOnlyList<string> UnmappedColumns { get; internal init; } = [];

    /// <summary>The validation rules checked before each write.</summary>
    public IReadOnlyList<ValidationRule> Rules { get; internal init; } = [];

    /// <summary>The lifecycle hooks declared in the mapping.</summary>
    public EntityHooks Hooks { get; internal init; } = new();

    /// <summary>The entity's place in a table-per-hierarchy mapping (<c>HasDiscriminator</c>), or <see langword="null"/> for an entity with a table of its own.</summary>
    public InheritanceModel? Inheritance { get; internal set; }

    /// <summary>Finds a mapped property by CLR name.</summary>
    public PropertyModel? FindProperty(string name) => Properties.FirstOrDefault(p => p.Name == name);

    /// <inheritdoc />
    public override string ToString() => $"{Name} -> {(Schema is null ? string.Empty : Schema + ".")}{Table}";
}
