using System.Reflection;

namespace Premix.Mapping;

/// <summary>
/// The order in which a class declares its properties, which columns follow: the metadata token where the runtime has one.
/// Native AOT keeps no tokens; there the order reflection returns, which is the declaration order, stands (the sort is stable).
/// </summary>
internal static class DeclarationOrder
{
    /// <summary>The sort key of <paramref name="property"/>.</summary>
    public static int Of(PropertyInfo property) => property.HasMetadataToken() ? property.MetadataToken : 0;
}
