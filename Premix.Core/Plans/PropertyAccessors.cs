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
}
