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
            ? ByToken(listed, token)
            : [.. listed.OrderBy(property => Depth(property.DeclaringType!))]; // stable: reflection's order within a type
    }

    // A stable insertion sort (reflection's order among equal tokens, which properties of base types in other modules may
    // share), not OrderBy: LINQ's sort over an int? key is an instantiation ReadyToRun does not precompile, JIT-compiled at
    // every start for every entity (issue 19). A class has tens of properties, so the quadratic worst case costs nothing.
    private static List<PropertyInfo> ByToken(List<PropertyInfo> listed, Func<PropertyInfo, int?> token)
    {
        var keys = new int[listed.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = token(listed[i])!.Value;
        }

        for (var i = 1; i < keys.Length; i++)
        {
            var key = keys[i];
            var property = listed[i];
            var j = i - 1;
            for (; j >= 0 && keys[j] > key; j--)
            {
                keys[j + 1] = keys[j];
                listed[j + 1] = listed[j];
            }

            keys[j + 1] = key;
            listed[j + 1] = property;
        }

        return listed;
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
