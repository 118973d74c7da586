using Premix.Mapping;

namespace Premix.Plans;

/// <summary>The typed accessors of one mapped property, boxed at the edge, as <c>premix optimize</c> wrote them.</summary>
public sealed class GeneratedPropertyCode
{
    /// <summary>Creates the accessors of the property <paramref name="name"/>.</summary>
    /// <param name="name">The property's name (<see cref="Name"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public GeneratedPropertyCode(string name) => Name = name ?? throw new ArgumentNullException(nameof(name));

    /// <summary>
    /// The property's name: the accessors are matched to the description by position, and the first use checks this name
    /// against the description's, so code reordered by hand fails instead of writing one property into another.
    /// </summary>
    public string Name { get; }

    /// <summary>Reads the property of an entity, boxed.</summary>
    public required Func<object, object?> Get { get; init; }

    /// <summary>Sets the property of an entity from a boxed value (a setter that is not public is reached through <c>UnsafeAccessor</c>).</summary>
    public required Action<object, object?> Set { get; init; }

    /// <summary>Whether two entities hold the same value of the property (byte arrays compared by content).</summary>
    public required Func<object, object, bool> Same { get; init; }

    /// <summary>Whether the property still holds its type's default value, read typed; set for a database-generated key of a value type (<see cref="ChecksDefault"/>).</summary>
    public Func<object, bool>? IsDefault { get; init; }

    /// <summary>Reads the property of an entity as its column stores it, converted and boxed (null for null); set for a converted property only.</summary>
    public Func<object, object?>? ReadStored { get; init; }

    /// <summary>Converts a non-null value of the property's type (boxed) to its stored value; set for a converted property only.</summary>
    public Func<object, object>? ToStored { get; init; }

    /// <summary>Converts a non-null stored value (boxed) to the property's type; set for a converted property only.</summary>
    public Func<object, object>? FromStored { get; init; }

    /// <summary>
    /// Whether the generated code of the database-generated key <paramref name="key"/> has an <see cref="IsDefault"/>: a value
    /// type that is not nullable. The generator and the plans decide it alike, so a plan knows it before the code is made.
    /// </summary>
    internal static bool ChecksDefault(PropertyModel key) => key.PropertyType.IsValueType && !key.IsNullableValueType;
}
