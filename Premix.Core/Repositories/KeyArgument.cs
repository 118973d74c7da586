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
            var type = plan.KeyParameters[0].Property.ValueType;
            return key.GetType() == type || key is not IConvertible ? key : Convert.ChangeType(key, type, CultureInfo.InvariantCulture);
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
        var types = plan.KeyParameters.Select(k => k.Property.ValueType).ToArray();
        return key =>
        {
            var values = new object?[getters.Length];
            for (var i = 0; i < getters.Length; i++)
            {
                var value = getters[i](key);
                values[i] = value is null || value.GetType() == types[i] || value is not IConvertible ? value : Convert.ChangeType(value, types[i], CultureInfo.InvariantCulture);
            }

            return values;
        };
    }
}
