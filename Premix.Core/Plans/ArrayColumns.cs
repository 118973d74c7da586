using Premix.Mapping;
using Premix.Providers;

namespace Premix.Plans;

/// <summary>
/// The startup rule of array properties (<c>T[]</c>, <c>List&lt;T&gt;</c>, see <see cref="ArrayTypes"/>): only an engine with
/// array columns (<see cref="ISqlDialect.StoresArrays"/>) stores one in a column; elsewhere the mapping is refused with the
/// fixes, rather than stored in some other shape the application did not ask for.
/// </summary>
internal static class ArrayColumns
{
    /// <summary>Why <paramref name="property"/> cannot be mapped on the engine of <paramref name="dialect"/>, or <see langword="null"/>.</summary>
    public static (string Problem, string Fix)? MappingProblem(PropertyModel property, ISqlDialect dialect) =>
        property.ArrayElementType is not null && !dialect.StoresArrays
            ? ($"is a {TypeName(property.PropertyType)}, which PostgreSQL stores as an array column, but {dialect.StoredValues.Engine} has no array types.",
                $"Map it StoredAsJson(){(property.EnumType is null ? "" : " in place of StoredAsEnumType(...)")} to keep the values as one JSON document, store them as rows of an entity of their own (HasMany), or Ignore(x => x.{property.Property.Name}).")
            : null;

    private static string TypeName(Type type) =>
        type.IsArray ? TypeName(type.GetElementType()!) + "[]"
        : Nullable.GetUnderlyingType(type) is { } underlying ? underlying.Name + "?"
        : type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>"
        : type.Name;
}
