namespace Premix.Mapping;

/// <summary>
/// One foreign key of the model, merged from every declaration of it: the parent's <c>HasMany</c>/<c>HasOne</c> and the
/// child's <c>BelongsTo</c> describe the same key, and each states what the other may leave out. The schema, the unit of
/// work and the validation all read the key from here, so no declaration wins over another by the order of registration.
/// Each end that was declared is a <see cref="RelationModel"/> of its entity whose <see cref="RelationModel.Constraint"/> is this key.
/// </summary>
public sealed class ForeignKeyModel
{
    internal ForeignKeyModel(Type principal, Type dependent, IReadOnlyList<PropertyModel> properties, IReadOnlyList<PropertyModel> principalKey, ReferentialAction onDelete, PropertyModel? typeProperty = null, string? typeName = null)
    {
        TypeProperty = typeProperty;
        TypeName = typeName;
        Principal = principal;
        Dependent = dependent;
        Properties = properties;
        PrincipalKeys = principalKey;
        OnDelete = onDelete;
    }

    /// <summary>The entity the key points at (the parent).</summary>
    public Type Principal { get; }

    /// <summary>The entity that holds the key (the child).</summary>
    public Type Dependent { get; }

    /// <summary>The foreign-key property of <see cref="Dependent"/>; the first of <see cref="Properties"/> when the key is composite.</summary>
    public PropertyModel Property => Properties[0];

    /// <summary>The key of <see cref="Principal"/> the foreign key holds; the first of <see cref="PrincipalKeys"/> when the key is composite.</summary>
    public PropertyModel PrincipalKey => PrincipalKeys[0];

    /// <summary>The foreign-key properties of <see cref="Dependent"/>: one, or one per part of a composite principal key, in the key's order.</summary>
    public IReadOnlyList<PropertyModel> Properties { get; }

    /// <summary>The key properties of <see cref="Principal"/> that <see cref="Properties"/> hold, pairwise.</summary>
    public IReadOnlyList<PropertyModel> PrincipalKeys { get; }

    /// <summary>Whether the key has more than one column.</summary>
    public bool IsComposite => Properties.Count > 1;

    /// <summary>What deleting the principal row does to the dependent rows: as either end stated it, <see cref="ReferentialAction.NoAction"/> when neither did.</summary>
    public ReferentialAction OnDelete { get; }

    /// <summary>
    /// For one target of a Rails-style type+id pair (<c>ByTypeAndId(...).As&lt;TTarget&gt;("name")</c>): the property holding the
    /// type name. The key then refers to <see cref="Principal"/> only when that property holds <see cref="TypeName"/>, which no
    /// database constraint can express, so the schema has no foreign key for it (<see cref="IsEnforcedByDatabase"/> is false).
    /// </summary>
    public PropertyModel? TypeProperty { get; }

    /// <summary>The value of <see cref="TypeProperty"/> that says <see cref="Properties"/> hold a key of <see cref="Principal"/>.</summary>
    public string? TypeName { get; }

    /// <summary>Whether the schema holds this key as a foreign-key constraint: every key but a type+id pair's.</summary>
    public bool IsEnforcedByDatabase => TypeProperty is null;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Dependent.Name}.{Describe(Properties.Select(p => p.Name).ToList())} -> {Principal.Name}.{Describe(PrincipalKeys.Select(p => p.Name).ToList())}"
        + (TypeProperty is null ? $" (on delete {OnDelete})" : $" when {TypeProperty.Name} = '{TypeName}' (not enforced by the database)");

    /// <summary>Property names for messages: <c>CustomerId</c>, or <c>(OrderId, OrderNo)</c> for a composite key.</summary>
    internal static string Describe(IReadOnlyList<string> names) => names.Count == 1 ? names[0] : $"({string.Join(", ", names)})";
}
