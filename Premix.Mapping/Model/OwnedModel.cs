using System.Reflection;

namespace Premix.Mapping;

/// <summary>
/// A value object stored in its owner's table (<c>e.Owns(x =&gt; x.Money)</c>): one column per member. Each member is a
/// <see cref="PropertyModel"/> of the owner whose <see cref="PropertyModel.Owner"/> is this. Immutable once the model is built.
/// </summary>
public sealed class OwnedModel
{
    internal OwnedModel(PropertyInfo navigation, bool isRequired)
    {
        Navigation = navigation;
        IsRequired = isRequired;
    }

    /// <summary>The owner's property that holds the value object.</summary>
    public PropertyInfo Navigation { get; }

    /// <summary>The property name (the prefix of its members' names and, by convention, of their columns).</summary>
    public string Name => Navigation.Name;

    /// <summary>The value object's class or record.</summary>
    public Type ClrType => Navigation.PropertyType;

    /// <summary>
    /// Whether the owner always holds a value object. An optional one is read as <see langword="null"/> when all its columns
    /// are NULL, and its columns allow NULL.
    /// </summary>
    public bool IsRequired { get; }

    /// <summary>
    /// The public constructor a read creates the value object with: the one with the most parameters named and typed like
    /// its properties (a positional record's), or the parameterless one; members it does not take are set afterwards.
    /// </summary>
    public ConstructorInfo Constructor { get; internal init; } = null!;

    /// <inheritdoc />
    public override string ToString() => $"{Navigation.DeclaringType!.Name}.{Name} ({ClrType.Name})";
}
