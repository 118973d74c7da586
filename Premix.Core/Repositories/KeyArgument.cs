using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Premix.Plans;

namespace Premix.Repositories;

/// <summary>Reads the key values a caller passed to GetAsync/FindAsync: the value itself, or for a composite key an object with the key's property names.</summary>
internal static class KeyArgument
{
    private static readonly ConcurrentDictionary<(Type Argument, Type Entity), Func<object, object?[]>> CompositeReaders = new();

    /// <summary>The key as the lookup binds it: the single key value converted to the key's type, or the composite key's values in key order.</summary>
    public static object Normalize(EntityPlan plan, object key)
    {
        if (plan.KeyParameters.Count == 1)
        {
            return Value(plan, plan.KeyParameters[0], key);
        }

        return CompositeReaders.GetOrAdd((key.GetType(), plan.Entity.ClrType), static (types, plan) => Reader(types.Argument, plan), plan)(key);
    }

    public static EntityKey Identity(EntityPlan plan, object normalized) =>
        new(plan.IdentityType, normalized is object?[] values ? new CompositeKey(values) : normalized);

    private static Func<object, object?[]> Reader(Type argument, EntityPlan plan)
    {
        var properties = plan.KeyParameters.Select(k => argument.GetProperty(k.Name, BindingFlags.Public | BindingFlags.Instance)).ToArray();
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
}
