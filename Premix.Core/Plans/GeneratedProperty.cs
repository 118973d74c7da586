namespace Premix.Plans;

/// <summary>One mapped property of a <see cref="GeneratedEntity"/>: its column and its typed accessors, boxed at the edge.</summary>
public sealed class GeneratedProperty
{
    /// <summary>Creates the property's description.</summary>
    /// <param name="name">The property's name.</param>
    /// <param name="column">Its column's name.</param>
    /// <param name="type">The property's type.</param>
    public GeneratedProperty(string name, string column, Type type)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Column = column ?? throw new ArgumentNullException(nameof(column));
        Type = type ?? throw new ArgumentNullException(nameof(type));
    }

    /// <summary>The property's name.</summary>
    public string Name { get; }

    /// <summary>Its column's name.</summary>
    public string Column { get; }

    /// <summary>The property's type.</summary>
    public Type Type { get; }

    /// <summary>
    /// How the generated code reads and checks the column (stored type, enum storage, <see cref="DateTime"/> rule, column type,
    /// rounding, NULL allowed), as Premix described it at generation; the start compares it with the mapping's.
    /// </summary>
    public required string ReadShape { get; init; }

    /// <summary>Reads the property of an entity, boxed.</summary>
    public required Func<object, object?> Get { get; init; }

    /// <summary>Sets the property of an entity from a boxed value (a setter that is not public is reached through <c>UnsafeAccessor</c>).</summary>
    public required Action<object, object?> Set { get; init; }

    /// <summary>Whether two entities hold the same value of the property (byte arrays compared by content).</summary>
    public required Func<object, object, bool> Same { get; init; }

    /// <summary>Whether the property still holds its type's default value, read typed; set for a database-generated key of a value type.</summary>
    public Func<object, bool>? IsDefault { get; init; }
}
