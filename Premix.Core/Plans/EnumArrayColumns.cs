using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// The values of an array of a database enum type (<c>Rating[]</c> or <c>List&lt;Rating?&gt;</c> mapped
/// <c>StoredAsEnumType("rating")</c>, a <c>rating[]</c> column): sent as an array of labels, which the dialect types as the
/// enum's array type, and read back from the labels. As for a single enum column, no <c>MapEnum</c> on the data source is
/// needed: the labels are Premix's, translated by <see cref="DatabaseEnum"/>.
/// </summary>
internal static class EnumArrayColumns
{
    private const string EnumDefault = "The methods made (ToArray, ToNullableArray, ToList, ToNullableList) put no DynamicallyAccessedMembers on T, an enum (struct, Enum): the parameterless constructor its struct constraint asks for is its default, which needs none kept.";

    /// <summary>Whether <paramref name="property"/> is an array of a database enum type.</summary>
    public static bool Holds(PropertyModel property) => property is { ArrayElementType: not null, EnumType: not null };

    /// <summary>The labels of an array or list of the property's enum (a null element is a NULL label), as a <c>string?[]</c>.</summary>
    public static Func<object, object> ToLabels(PropertyModel property)
    {
        var enumType = property.EnumType!;
        return value =>
        {
            var values = (System.Collections.IList)value;
            var labels = new string?[values.Count];
            for (var i = 0; i < labels.Length; i++)
            {
                labels[i] = values[i] is { } element ? enumType.Label(element) : null;
            }

            return labels;
        };
    }

    /// <summary>The property's value (<c>Rating[]</c>, <c>List&lt;Rating?&gt;</c>, ...) from the labels read (<paramref name="labels"/>, a <c>string?[]</c>).</summary>
    /// <exception cref="NotSupportedException">While dynamic code is off, where database enums are refused at startup (and the generic method cannot be made).</exception>
    public static Expression FromLabels(PropertyModel property, Expression labels)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            throw NativeAotPlans.NotGenerated(property);
        }

        return Expression.Call(LabelsReader(property), Expression.Constant(property.EnumType), labels);
    }

    // One of the four readers below, made for the property's enum.
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    [UnconditionalSuppressMessage("Trimming", "IL2076:UnrecognizedReflectionPattern", Justification = EnumDefault)]
    [UnconditionalSuppressMessage("Trimming", "IL2060:MakeGenericMethod", Justification = EnumDefault)]
    private static MethodInfo LabelsReader(PropertyModel property)
    {
        var element = property.ArrayElementType!;
        var underlying = Nullable.GetUnderlyingType(element);
        var name = (property.StoredType.IsArray, underlying is null) switch
        {
            (true, true) => nameof(ToArray),
            (true, false) => nameof(ToNullableArray),
            (false, true) => nameof(ToList),
            (false, false) => nameof(ToNullableList),
        };
        return typeof(EnumArrayColumns).GetMethod(name, BindingFlags.Static | BindingFlags.NonPublic)!.MakeGenericMethod(underlying ?? element);
    }

    private static T[] ToArray<T>(DatabaseEnum enumType, string?[] labels) where T : struct, Enum =>
        Array.ConvertAll(labels, label => enumType.Read<T>(label ?? throw NullElement(enumType)));

    private static T?[] ToNullableArray<T>(DatabaseEnum enumType, string?[] labels) where T : struct, Enum =>
        Array.ConvertAll(labels, label => label is null ? (T?)null : enumType.Read<T>(label));

    private static List<T> ToList<T>(DatabaseEnum enumType, string?[] labels) where T : struct, Enum => [.. ToArray<T>(enumType, labels)];

    private static List<T?> ToNullableList<T>(DatabaseEnum enumType, string?[] labels) where T : struct, Enum => [.. ToNullableArray<T>(enumType, labels)];

    private static InvalidOperationException NullElement(DatabaseEnum enumType) => new(
        $"An array of the database enum type {enumType.Name} holds a NULL element, which a collection of {enumType.ClrType.Name} cannot hold. Map the property as {enumType.ClrType.Name}?[] or List<{enumType.ClrType.Name}?>, or keep NULLs out of the column.");
}
