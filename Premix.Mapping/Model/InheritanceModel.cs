namespace Premix.Mapping;

/// <summary>
/// Where an entity stands in a table-per-hierarchy mapping (<c>HasDiscriminator</c>): the base entity whose table every
/// type of the hierarchy shares, the discriminator column, and the value that marks this type's rows.
/// </summary>
public sealed class InheritanceModel
{
    internal InheritanceModel(Type root, bool isRoot, PropertyModel discriminator, object? value, IReadOnlyDictionary<Type, object> values)
    {
        Root = root;
        IsRoot = isRoot;
        Discriminator = discriminator;
        Value = value;
        Values = values;
    }

    /// <summary>The base entity that declares the hierarchy; its table holds the rows of every type in it.</summary>
    public Type Root { get; }

    /// <summary>The discriminator property of the base entity.</summary>
    public PropertyModel Discriminator { get; }

    /// <summary>The value that marks this type's rows, or <see langword="null"/> for an abstract class, which has no rows of its own.</summary>
    public object? Value { get; }

    /// <summary>The value of this type and of each of its mapped subtypes (the rows a query of this type reads), by type.</summary>
    public IReadOnlyDictionary<Type, object> Values { get; }

    /// <summary>Whether this entity is the base of its hierarchy (a query of it reads every row of the table).</summary>
    public bool IsRoot { get; }
}
