using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Premix.Mapping;

/// <summary>
/// A value object stored in its owner's table (<c>e.Owns(x =&gt; x.Money)</c>): one column per member. Each member is a
/// <see cref="PropertyModel"/> of the owner whose <see cref="PropertyModel.Owner"/> is this. A value object may own another
/// (<c>a.Owns(x =&gt; x.Geo)</c>): its <see cref="Parent"/> is then the value object that holds it. Immutable once the model is built.
/// </summary>
public sealed class OwnedModel
{
    /// <summary>
    /// What the model build reads of a value object's class: its public properties (the columns) and constructors. A generic
    /// method of yours that passes its type argument on to <c>Owns&lt;TOwned&gt;</c> annotates it with this.
    /// </summary>
    public const DynamicallyAccessedMemberTypes Members = DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicConstructors;

    internal OwnedModel(PropertyInfo navigation, [DynamicallyAccessedMembers(Members)] Type clrType, bool isRequired, OwnedModel? parent = null)
    {
        Navigation = navigation;
        ClrType = clrType;
        IsRequired = isRequired;
        Parent = parent;
        Name = parent is null ? navigation.Name : $"{parent.Name}.{navigation.Name}";
        Path = parent is null ? [this] : [.. parent.Path, this];
    }

    /// <summary>The property that holds the value object: the entity's, or for a nested one its <see cref="Parent"/>'s.</summary>
    public PropertyInfo Navigation { get; }

    /// <summary>The value object that holds this one (<c>Home</c> for <c>Home.Geo</c>), or <see langword="null"/> when the entity does.</summary>
    public OwnedModel? Parent { get; }

    /// <summary>
    /// The value objects from the entity's down to this one (<c>Home</c>, <c>Home.Geo</c>): how a member is reached from the entity.
    /// </summary>
    public IReadOnlyList<OwnedModel> Path { get; }

    /// <summary>The value object the entity's own property holds: <c>Home</c> for <c>Home.Geo</c>, this one when it is not nested.</summary>
    public OwnedModel Root => Path[0];

    /// <summary>
    /// The property path from the entity (<c>Total</c>, <c>Home.Geo</c>): the prefix of its members' names and, by convention,
    /// of their columns.
    /// </summary>
    public string Name { get; }

    /// <summary>The value object's class or record: the type <c>Owns</c> named, which is the navigation's own.</summary>
    [DynamicallyAccessedMembers(Members)]
    public Type ClrType { get; }

    /// <summary>
    /// Whether the owner always holds a value object. An optional one is read as <see langword="null"/> when all its columns
    /// (a nested value object's included) are NULL, and its columns allow NULL. A nested one is required only within its
    /// parent: when the parent is optional its columns allow NULL too.
    /// </summary>
    public bool IsRequired { get; }

    /// <summary>
    /// The public constructor a read creates the value object with: the one with the most parameters named and typed like
    /// its properties (a positional record's), or the parameterless one; members it does not take are set afterwards.
    /// </summary>
    public ConstructorInfo Constructor { get; internal init; } = null!;

    /// <inheritdoc />
    public override string ToString() => $"{Root.Navigation.DeclaringType!.Name}.{Name} ({ClrType.Name})";
}
