namespace Premix.Mapping;

/// <summary>
/// One foreign key of the model, merged from every declaration of it: the parent's <c>HasMany</c>/<c>HasOne</c> and the
/// child's <c>BelongsTo</c> describe the same key, and each states what the other may leave out. The schema, the unit of
/// work and the validation all read the key from here, so no declaration wins over another by the order of registration.
/// Each end that was declared is a <see cref="RelationModel"/> of its entity whose <see cref="RelationModel.Constraint"/> is this key.
/// </summary>
public sealed class ForeignKeyModel
{
    internal ForeignKeyModel(Type principal, Type dependent, PropertyModel property, PropertyModel principalKey, ReferentialAction onDelete)
    {
        Principal = principal;
        Dependent = dependent;
        Property = property;
        PrincipalKey = principalKey;
        OnDelete = onDelete;
    }

    /// <summary>The entity the key points at (the parent).</summary>
    public Type Principal { get; }

    /// <summary>The entity that holds the key (the child).</summary>
    public Type Dependent { get; }

    /// <summary>The foreign-key property of <see cref="Dependent"/>.</summary>
    public PropertyModel Property { get; }

    /// <summary>The key of <see cref="Principal"/> the foreign key holds.</summary>
    public PropertyModel PrincipalKey { get; }

    /// <summary>What deleting the principal row does to the dependent rows: as either end stated it, <see cref="ReferentialAction.NoAction"/> when neither did.</summary>
    public ReferentialAction OnDelete { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Dependent.Name}.{Property.Name} -> {Principal.Name}.{PrincipalKey.Name} (on delete {OnDelete})";
}
