using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// Compiles, once per column, the function that gathers one property of many entities into a typed array (the array
/// parameter of a many-row statement, see <see cref="Providers.IArrayWriteDialect"/>). A property whose value the driver
/// takes as it is, or converts with a typed conversion, goes straight into a <c>T[]</c> (or <c>T?[]</c>) with no boxing;
/// only a value that needs the boxed conversion (an enum stored as text, say) is boxed.
/// </summary>
internal static class ColumnArrays
{
    private static readonly MethodInfo DirectMethod = Method(nameof(Direct));
    private static readonly MethodInfo LiftedMethod = Method(nameof(Lifted));
    private static readonly MethodInfo TypedMethod = Method(nameof(Typed));
    private static readonly MethodInfo LiftedTypedMethod = Method(nameof(LiftedTyped));
    private static readonly MethodInfo ConvertedMethod = Method(nameof(Converted));

    /// <summary>
    /// The builder for <paramref name="property"/> into arrays of <paramref name="elementType"/>; values pass through
    /// <paramref name="convert"/> when it is given (or through <paramref name="typedConvert"/>, the same conversion as a
    /// <c>Func&lt;TStorage, TElement&gt;</c>, when it takes the property's type), and a null value becomes the element's
    /// default (an SQL NULL). <paramref name="generatedStored"/>, a generated model's stored-value getter of a converted
    /// property, is read instead of a compiled typed one (boxed: the generated model compiles nothing).
    /// </summary>
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    public static Func<IReadOnlyList<object>, Array> Builder(PropertyModel property, Type elementType, Func<object, object>? convert, Delegate? typedConvert, Func<object, object?>? generatedStored = null)
    {
        if (generatedStored is not null)
        {
            return Made(ConvertedMethod, [typeof(object), typeof(object), elementType], [generatedStored, convert ?? (value => value)]);
        }

        var entityType = PropertyAccessors.EntityType(property);
        var valueType = PropertyAccessors.StoredPropertyType(property); // a converted property's stored value, read typed
        var underlying = Nullable.GetUnderlyingType(valueType);
        var typedInput = typedConvert?.GetType().GetGenericArguments()[0];
        var getter = PropertyAccessors.TypedStoredGetter(property);
        var (method, types, arguments) = convert switch
        {
            null when elementType == valueType => (DirectMethod, new[] { entityType, valueType }, new object[] { getter }),
            null when Nullable.GetUnderlyingType(elementType) == valueType => (LiftedMethod, [entityType, valueType], [getter]),
            not null when typedInput is not null && typedInput == valueType => (TypedMethod, [entityType, valueType, elementType], [getter, typedConvert!]),
            not null when typedInput is not null && typedInput == underlying && Nullable.GetUnderlyingType(elementType) is { } element
                => (LiftedTypedMethod, [entityType, underlying, element], [getter, typedConvert!]),
            _ => (ConvertedMethod, [entityType, valueType, elementType], [getter, convert ?? (value => value)]),
        };
        return Made(method, types, arguments);
    }

    // The builder of one of the *Method fields above (Builder passes only those), made for types.
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    [UnconditionalSuppressMessage("Trimming", "IL2060:MakeGenericMethod", Justification = "The methods made (Direct, Lifted, Typed, LiftedTyped, Converted) put no DynamicallyAccessedMembers on their type parameters; the struct constraints (Lifted, LiftedTyped) imply a parameterless constructor, which neither method calls and a value type needs none for its default.")]
    private static Func<IReadOnlyList<object>, Array> Made(MethodInfo method, Type[] types, object[] arguments) =>
        (Func<IReadOnlyList<object>, Array>)method.MakeGenericMethod(types).Invoke(null, arguments)!;

    /// <summary>
    /// The builder native AOT runs (dynamic code off, where no generic method or array type can be made at run time): each
    /// entity's stored value, read boxed by <paramref name="readStored"/> (the generated model's getter), passed through
    /// <paramref name="convert"/> when given and set into an array of <paramref name="arrayType"/>, a type the dialect named
    /// in code (<see cref="Providers.IArrayWriteDialect.ArrayType"/>); a null stays the element's default (an SQL NULL).
    /// </summary>
    public static Func<IReadOnlyList<object>, Array> Boxed(Type arrayType, Func<object, object?> readStored, Func<object, object>? convert) => entities =>
    {
        var values = Array.CreateInstanceFromArrayType(arrayType, entities.Count);
        for (var i = 0; i < entities.Count; i++)
        {
            if (readStored(entities[i]) is { } value)
            {
                values.SetValue(convert is null ? value : convert(value), i);
            }
        }

        return values;
    };

    /// <summary>The failure of a many-row write of <paramref name="property"/> while dynamic code is off, when the dialect names no array type of <paramref name="element"/>.</summary>
    public static NotSupportedException NoArrayType(PropertyModel property, Type element) =>
        new($"{property.Property.ReflectedType?.Name}.{property.Name}: a many-row write binds its values as an array of {element.Name}, the dialect names no array type of {element.Name}, "
            + $"and {NativeAotPlans.DynamicCodeOff}, so none can be made. Map the property to a column type the dialect writes from arrays, or {NativeAotPlans.TurnDynamicCodeOn} (docs/aot.md, Native AOT).");

    private static Func<IReadOnlyList<object>, Array> Direct<TEntity, TValue>(Func<TEntity, TValue> get) => entities =>
    {
        var values = new TValue[entities.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = get((TEntity)entities[i]);
        }

        return values;
    };

    private static Func<IReadOnlyList<object>, Array> Lifted<TEntity, TValue>(Func<TEntity, TValue> get)
        where TValue : struct => entities =>
    {
        var values = new TValue?[entities.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = get((TEntity)entities[i]);
        }

        return values;
    };

    private static Func<IReadOnlyList<object>, Array> Typed<TEntity, TValue, TElement>(Func<TEntity, TValue> get, Func<TValue, TElement> convert) => entities =>
    {
        var values = new TElement[entities.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = convert(get((TEntity)entities[i]));
        }

        return values;
    };

    private static Func<IReadOnlyList<object>, Array> LiftedTyped<TEntity, TValue, TElement>(Func<TEntity, TValue?> get, Func<TValue, TElement> convert)
        where TValue : struct
        where TElement : struct => entities =>
    {
        var values = new TElement?[entities.Count];
        for (var i = 0; i < values.Length; i++)
        {
            if (get((TEntity)entities[i]) is { } value)
            {
                values[i] = convert(value);
            }
        }

        return values;
    };

    private static Func<IReadOnlyList<object>, Array> Converted<TEntity, TValue, TElement>(Func<TEntity, TValue> get, Func<object, object> convert) => entities =>
    {
        var values = new TElement[entities.Count];
        for (var i = 0; i < values.Length; i++)
        {
            if (get((TEntity)entities[i]) is { } value)
            {
                values[i] = (TElement)convert(value);
            }
        }

        return values;
    };

    private static MethodInfo Method(string name) => typeof(ColumnArrays).GetMethod(name, BindingFlags.Static | BindingFlags.NonPublic)!;
}
