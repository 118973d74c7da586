using System.Reflection;

namespace Premix.Mapping;

/// <summary>
/// The order in which a class's properties become columns: the metadata token order where the runtime has tokens (the
/// JIT). Native AOT keeps no tokens, and its reflection lists a type's own properties before its base type's; there the
/// base type's come first, each type's in the order reflection returns them (its declaration order), so that a model
/// <c>premix optimize</c> generated on the JIT matches for the usual layout, a base class declared before its entities.
/// </summary>
internal static class DeclarationOrder
{
    /// <summary><paramref name="properties"/> in column order.</summary>
    public static IReadOnlyList<PropertyInfo> Of(IEnumerable<PropertyInfo> properties) =>
        Of(properties, static property => property.HasMetadataToken() ? property.MetadataToken : null);

    /// <summary><paramref name="properties"/> in column order, <paramref name="token"/> giving each one's metadata token if the runtime has it.</summary>
    internal static IReadOnlyList<PropertyInfo> Of(IEnumerable<PropertyInfo> properties, Func<PropertyInfo, int?> token)
    {
        var listed = properties.ToList();
        return listed.TrueForAll(property => token(property) is not null)
            ? [.. listed.OrderBy(property => token(property))]
            : [.. listed.OrderBy(property => Depth(property.DeclaringType!))]; // stable: reflection's order within a type
    }

    private static int Depth(Type type)
    {
        var depth = 0;
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            depth++;
        }

        return depth;
    }
}
