using System.Linq.Expressions;
using System.Reflection;

namespace Premix.Plans;

/// <summary>Compiles property getters and setters into delegates once, so no reflection runs per call.</summary>
internal static class PropertyAccessors
{
    public static Func<object, object?> Getter(PropertyInfo property)
    {
        var entity = Expression.Parameter(typeof(object), "entity");
        var read = Expression.Property(Expression.Convert(entity, property.DeclaringType!), property);
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(read, typeof(object)), entity).Compile();
    }

    public static Action<object, object?> Setter(PropertyInfo property)
    {
        var entity = Expression.Parameter(typeof(object), "entity");
        var value = Expression.Parameter(typeof(object), "value");
        var write = Expression.Assign(
            Expression.Property(Expression.Convert(entity, property.DeclaringType!), property),
            Expression.Convert(value, property.PropertyType));
        return Expression.Lambda<Action<object, object?>>(write, entity, value).Compile();
    }

    /// <summary>
    /// Whether a value-type property (a generated key) still holds its default, read typed: no box per call. Null for a
    /// property that is a reference type or <see cref="Nullable{T}"/>.
    /// </summary>
    public static Func<object, bool>? IsDefault(PropertyInfo property)
    {
        var type = property.PropertyType;
        if (!type.IsValueType || Nullable.GetUnderlyingType(type) is not null)
        {
            return null;
        }

        var getter = Delegate.CreateDelegate(typeof(Func<,>).MakeGenericType(property.DeclaringType!, type), property.GetMethod!);
        var method = typeof(PropertyAccessors).GetMethod(nameof(IsDefaultOf), BindingFlags.Static | BindingFlags.NonPublic)!.MakeGenericMethod(property.DeclaringType!, type);
        return (Func<object, bool>)method.Invoke(null, [getter])!;
    }

    private static Func<object, bool> IsDefaultOf<TEntity, TValue>(Func<TEntity, TValue> get)
        where TValue : struct => entity => EqualityComparer<TValue>.Default.Equals(get((TEntity)entity), default);
}
