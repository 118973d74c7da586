using System.Diagnostics.CodeAnalysis;

namespace Premix.Plans;

/// <summary>
/// The default of a value type known only at run time: a generated key's default, the <c>new S()</c> of a query's lambda,
/// a missing member of a value object. One place for the reflection it takes, and for why trimming cannot break it.
/// </summary>
internal static class ValueTypes
{
    /// <summary>The default of <paramref name="valueType"/>, boxed.</summary>
    /// <remarks>
    /// Made by <see cref="Activator"/>, which reflects; the callers call it only while dynamic code is on, since native AOT
    /// keeps no such metadata for a type it only meets at run time.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="valueType"/> is not a value type.</exception>
    [UnconditionalSuppressMessage("Trimming", "IL2067:UnrecognizedReflectionPattern", Justification = "Only a value type is accepted: Activator makes a value type's default without calling any constructor, so there is none trimming could have removed.")]
    public static object Default(Type valueType) => valueType.IsValueType
        ? Activator.CreateInstance(valueType)!
        : throw new ArgumentException($"{valueType.Name} is not a value type: its default is null, and an instance would need a constructor trimming may remove.", nameof(valueType));
}
