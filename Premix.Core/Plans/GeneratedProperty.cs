namespace Premix.Plans;

/// <summary>
/// One mapped property of a <see cref="GeneratedEntity"/> as it was generated: its column, type and how its column is read,
/// compared with the mapping at startup. Its accessors are in <see cref="GeneratedPropertyCode"/>, made on first use.
/// </summary>
public sealed partial class GeneratedProperty
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

    /// <summary>
    /// The property's value converter as the generator printed it (both conversions as C#), or <see langword="null"/> without
    /// one; the start prints the mapping's converter again and compares, so a converter changed since generation fails it.
    /// </summary>
    public string? Converter { get; init; }
}
