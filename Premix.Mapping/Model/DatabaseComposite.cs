using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Premix.Mapping;

/// <summary>
/// A PostgreSQL composite type a property is stored as (<c>StoredAsCompositeType</c>): its name, and one attribute per
/// public read-write property of <see cref="ClrType"/>, named by the model's naming convention.
/// </summary>
/// <param name="Name">The type's name in the database, for example <c>address</c>.</param>
/// <param name="ClrType">The class or record whose properties are the attributes.</param>
/// <param name="Fields">The attributes, in declaration order.</param>
public sealed record DatabaseComposite(
    string Name,
    // What Npgsql's MapComposite reflects over, so that a trimmed application keeps the attributes' members.
    [DynamicallyAccessedMembers(DatabaseComposite.Members)][property: DynamicallyAccessedMembers(DatabaseComposite.Members)] Type ClrType,
    IReadOnlyList<CompositeField> Fields)
{
    /// <summary>The members of <see cref="ClrType"/> a composite type's mapping reads and writes.</summary>
    public const DynamicallyAccessedMemberTypes Members = DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.PublicProperties;

    /// <summary>Why <c>StoredAsCompositeType</c> is flagged for trimming, and what to do.</summary>
    internal const string TrimmingMessage = "StoredAsCompositeType reads the public properties of the property's class by reflection when the model is built, "
        + "and Npgsql its constructors and fields: trimming keeps them only when something names them (for example "
        + "[DynamicDependency(DatabaseComposite.Members, typeof(Address))] on Configure, then an UnconditionalSuppressMessage for this IL2026 "
        + "on Configure, as the warning stays at the call once they are kept). Native AOT refuses composite types at startup (docs/aot.md).";

    // One attribute per public read-write property, in declaration order, named as columns are. The property's type comes
    // from reflection, which carries no annotation: the call that asks for this (StoredAsCompositeType) is flagged instead.
    [RequiresUnreferencedCode(TrimmingMessage)]
    internal static DatabaseComposite Read(string name, Type type, NamingConvention naming) =>
        new(name, type, type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0)
            .Select(p => new CompositeField(naming.Convert(p.Name), p)).ToList());
}

/// <summary>One attribute of a <see cref="DatabaseComposite"/>.</summary>
/// <param name="Name">The attribute's name in the database.</param>
/// <param name="Property">The C# property it holds.</param>
public sealed record CompositeField(string Name, PropertyInfo Property);
