using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using Premix.Plans;

namespace Premix.Repositories;

/// <summary>
/// Reads the key values a caller passed to GetAsync/FindAsync: the value itself, or for a composite key a value tuple of
/// the key's types in <c>HasKey</c> order (checked, never converted) or an object with the key's property names.
/// </summary>
internal static class KeyArgument
{
    private static readonly ConcurrentDictionary<(Type Argument, Type Entity), Func<object, object?[]>> CompositeReaders = new();

    /// <summary>The key as the lookup binds it: the single key value converted to the key's type, or the composite key's values in key order.</summary>
    public static object Normalize(EntityPlan plan, object key)
    {
        if (plan.SingleKeyType is { } type)
        {
            if (key.GetType() == type)
            {
                return key; // the usual call: checked first, so it pays for nothing else
            }

            if (key is ITuple && IsValueTuple(key.GetType()))
            {
                throw new ArgumentException($"{plan.Entity.Name} has a single key ({plan.KeyParameters[0].Name}: {type.Name}), but a tuple {TypeList(key.GetType())} was passed. Fix: Pass the key value itself.", nameof(key));
            }

            return Value(plan, plan.KeyParameters[0], key);
        }

        return CompositeReaders.GetOrAdd((key.GetType(), plan.Entity.ClrType), static (types, plan) => Reader(types.Argument, plan), plan)(key);
    }

    public static EntityKey Identity(EntityPlan plan, object normalized) =>
        new(plan.IdentityType, normalized is object?[] values ? new CompositeKey(values) : normalized);

    private static Func<object, object?[]> Reader(Type argument, EntityPlan plan)
    {
        if (IsValueTuple(argument))
        {
            return TupleReader(argument, plan);
        }

        if (!UnreferencedCode.IsAvailable)
        {
            throw NotUnderNativeAot(argument, plan);
        }

        var properties = KeyProperties(argument, plan);
        if (properties.Any(p => p is null))
        {
            var names = string.Join(", ", plan.KeyParameters.Select(k => k.Name));
            throw new ArgumentException($"{plan.Entity.Name} has a composite key ({names}); pass an object with those properties, for example new {{ {string.Join(", ", plan.KeyParameters.Select(k => k.Name + " = ..."))} }}.", "key");
        }

        var getters = properties.Select(p => PropertyAccessors.Getter(p!)).ToArray();
        return key =>
        {
            var values = new object?[getters.Length];
            for (var i = 0; i < getters.Length; i++)
            {
                values[i] = getters[i](key) is { } value ? Value(plan, plan.KeyParameters[i], value) : null;
            }

            return values;
        };
    }

    /// <summary>
    /// The refusal of a composite key passed as an object (<c>new { A = 1, B = 2 }</c>) under native AOT: its properties would
    /// be read by reflection over a type native AOT keeps no property list of, and read by compiled getters.
    /// </summary>
    // Trimming can remove an anonymous key's properties (then the key would be refused as one without them): behind the guard,
    // which removes this branch from a trimmed application.
    [RequiresUnreferencedCode(UnreferencedCode.Reflected)]
    private static PropertyInfo?[] KeyProperties(Type argument, EntityPlan plan)
    {
        var properties = new PropertyInfo?[plan.KeyParameters.Count];
        for (var i = 0; i < properties.Length; i++)
        {
            properties[i] = argument.GetProperty(plan.KeyParameters[i].Name, BindingFlags.Public | BindingFlags.Instance);
        }

        return properties;
    }

    internal static NotSupportedException NotUnderNativeAot(Type argument, EntityPlan plan) => new(
        $"{plan.Entity.Name} has a composite key ({string.Join(", ", plan.KeyParameters.Select(k => $"{k.Name}: {k.Property.ValueType.Name}"))}), passed as a {argument.Name}, " +
        $"whose properties cannot be read with dynamic code off (RuntimeFeature.IsDynamicCodeSupported is false: a native AOT binary, or a JIT build of a project with PublishAot) or in a trimmed application (PublishTrimmed, which can remove them). " +
        $"Fix: Pass a value tuple of the key's types in HasKey order ({string.Join(", ", plan.KeyParameters.Select(k => $"{k.Name}: {k.Property.ValueType.Name}"))}).");

    // A number of another width is widened or narrowed to the key's type; a converted key takes only its own type, so a
    // CustomerId key is never looked up by a bare long that could be another entity's id.
    private static object Value(EntityPlan plan, ParameterBinding key, object value)
    {
        var type = key.Property.ValueType;
        if (value.GetType() == type)
        {
            return value;
        }

        if (key.Property.Converter is not null)
        {
            throw new ArgumentException($"{plan.Entity.Name}.{key.Name} is a {type.Name} (stored as {key.Property.StoredType.Name}); pass a {type.Name} as the key, not a {value.GetType().Name}.", "key");
        }

        return value is not IConvertible ? value : Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
    }

    /// <summary>A tuple key must match the key exactly: its element types are the key's types in HasKey order, so a swapped or narrowed part is refused before any SQL runs.</summary>
    private static Func<object, object?[]> TupleReader(Type argument, EntityPlan plan)
    {
        var elements = ElementTypes(argument);
        var expected = plan.KeyParameters.Select(k => k.Property.ValueType).ToArray();
        if (!elements.SequenceEqual(expected))
        {
            var parts = string.Join(", ", plan.KeyParameters.Select(k => $"{k.Name}: {k.Property.ValueType.Name}"));
            throw new ArgumentException(
                $"{plan.Entity.Name} has a composite key ({parts}); a tuple key must have the element types ({string.Join(", ", expected.Select(t => t.Name))}) in that order, " +
                $"but a tuple {TypeList(argument)} was passed. Fix: Write each value with its key part's type (7L for an Int64, (short)2 for an Int16) in HasKey order, " +
                $"or pass new {{ {string.Join(", ", plan.KeyParameters.Select(k => k.Name + " = ..."))} }}.",
                "key");
        }

        return key =>
        {
            var tuple = (ITuple)key;
            var values = new object?[tuple.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = tuple[i];
            }

            return values;
        };
    }

    private static bool IsValueTuple(Type type) =>
        type.IsGenericType && type.Namespace == "System" && type.Name.StartsWith("ValueTuple`", StringComparison.Ordinal);

    /// <summary>The element types of a value tuple, flattened through the TRest of tuples longer than seven.</summary>
    private static Type[] ElementTypes(Type tuple)
    {
        var arguments = tuple.GetGenericArguments();
        return arguments.Length == 8 && IsValueTuple(arguments[7]) ? [.. arguments[..7], .. ElementTypes(arguments[7])] : arguments;
    }

    private static string TypeList(Type tuple) => "(" + string.Join(", ", ElementTypes(tuple).Select(t => t.Name)) + ")";
}
