using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using Premix.Mapping;

namespace Premix.Plans;

/// <summary>Compiles property getters and setters into delegates once, so no reflection runs per call.</summary>
internal static class PropertyAccessors
{
    public static Func<object, object?> Getter(PropertyInfo property)
    {
        var entity = Expression.Parameter(typeof(object), "entity");
        var read = Expression.Property(Expression.Convert(entity, property.DeclaringType!), property);
        return LazyDelegates.Compiled(Expression.Lambda<Func<object, object?>>(Expression.Convert(read, typeof(object)), entity));
    }

    public static Action<object, object?> Setter(PropertyInfo property)
    {
        var entity = Expression.Parameter(typeof(object), "entity");
        var value = Expression.Parameter(typeof(object), "value");
        var write = Expression.Assign(
            Expression.Property(Expression.Convert(entity, property.DeclaringType!), property),
            Expression.Convert(value, property.PropertyType));
        return LazyDelegates.Compiled(Expression.Lambda<Action<object, object?>>(write, entity, value));
    }

    /// <summary>The entity class a mapped property is read from: the declaring class, or the owner's for a member of a value object.</summary>
    public static Type EntityType(PropertyModel property) => (property.Owner?.Root.Navigation ?? property.Property).DeclaringType!;

    /// <summary>The property's value as it is in the object, boxed; a value object's member reads null when the owner holds none.</summary>
    public static Func<object, object?> Getter(PropertyModel property)
    {
        if (property.Owner is null)
        {
            return Getter(property.Property);
        }

        var entity = Expression.Parameter(typeof(object), "entity");
        var read = Read(property, Expression.Convert(entity, EntityType(property)));
        return LazyDelegates.Compiled(Expression.Lambda<Func<object, object?>>(Expression.Convert(read, typeof(object)), entity));
    }

    /// <summary>
    /// Reads the property of <paramref name="entity"/> as <see cref="PropertyModel.PropertyType"/>: through the owner for a
    /// member of a value object (<c>entity.Money == null ? null : entity.Money.Amount</c>), and through each value object on
    /// the way for a nested one's (<c>Home.Geo.Lat</c>).
    /// </summary>
    public static Expression Read(PropertyModel property, Expression entity)
    {
        if (property.Owner is not { } owner)
        {
            return Expression.Property(entity, property.Property);
        }

        return Through(owner, entity, property.PropertyType, value =>
        {
            Expression member = Expression.Property(value, property.Property);
            return member.Type == property.PropertyType ? member : Expression.Convert(member, property.PropertyType);
        });
    }

    /// <summary>
    /// <paramref name="use"/> of the value object <paramref name="owner"/> of <paramref name="entity"/>, or the default of
    /// <paramref name="type"/> when it or one holding it is null; each object on the path is read once.
    /// </summary>
    public static Expression Through(OwnedModel owner, Expression entity, Type type, Func<Expression, Expression> use)
    {
        var variables = owner.Path.Select(o => Expression.Variable(o.ClrType, "owned")).ToList();
        var body = use(variables[^1]);
        for (var i = variables.Count - 1; i >= 0; i--)
        {
            body = Expression.Block(
                type,
                Expression.Assign(variables[i], Expression.Property(i == 0 ? entity : variables[i - 1], owner.Path[i].Navigation)),
                Expression.Condition(Expression.Equal(variables[i], Expression.Constant(null, variables[i].Type)), Expression.Default(type), body, type));
        }

        return Expression.Block(type, variables, body);
    }

    /// <summary>The property's stored value (through its <see cref="PropertyModel.Converter"/>, if any), boxed: what a parameter sends.</summary>
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    public static Func<object, object?> StoredGetter(PropertyModel property)
    {
        if (property.Converter is null && property.Owner is null)
        {
            return Getter(property.Property);
        }

        var entity = Expression.Parameter(typeof(object), "entity");
        var read = ReadStored(property, Expression.Convert(entity, EntityType(property)));
        return LazyDelegates.Compiled(Expression.Lambda<Func<object, object?>>(Expression.Convert(read, typeof(object)), entity));
    }

    /// <summary>The property's stored value, typed: a <c>Func&lt;TEntity, TStored&gt;</c> where TStored is <see cref="StoredPropertyType"/>.</summary>
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    public static Delegate TypedStoredGetter(PropertyModel property)
    {
        var entityType = EntityType(property);
        if (property.Converter is null && property.Owner is null)
        {
            return Delegate.CreateDelegate(typeof(Func<,>).MakeGenericType(entityType, property.Property.PropertyType), property.Property.GetMethod!);
        }

        var entity = Expression.Parameter(entityType, "entity");
        var read = ReadStored(property, entity);
        return LazyDelegates.Compile(Expression.Lambda(typeof(Func<,>).MakeGenericType(entityType, read.Type), read, entity));
    }

    /// <summary>Sets the property from a stored value (boxed, null for NULL), converting it back to the property's type.</summary>
    /// <remarks>A value object's member is set on the object the owner holds (none: nothing to set).</remarks>
    public static Action<object, object?> StoredSetter(PropertyModel property)
    {
        if (property.Converter is null && property.Owner is null)
        {
            return Setter(property.Property);
        }

        var entity = Expression.Parameter(typeof(object), "entity");
        var value = Expression.Parameter(typeof(object), "value");
        var converted = FromStored(property, Expression.Convert(value, property.StoredType));
        var typed = Expression.Convert(entity, EntityType(property));
        var assigned = Expression.Condition(Expression.Equal(value, Expression.Constant(null)), Expression.Default(property.Property.PropertyType), Expression.Convert(converted, property.Property.PropertyType));
        if (property.Owner is not { } owner)
        {
            return LazyDelegates.Compiled(Expression.Lambda<Action<object, object?>>(Expression.Assign(Expression.Property(typed, property.Property), assigned), entity, value));
        }

        var write = Through(owner, typed, typeof(void), owned => Expression.Block(typeof(void), Expression.Assign(Expression.Property(owned, property.Property), assigned)));
        return LazyDelegates.Compiled(Expression.Lambda<Action<object, object?>>(write, entity, value));
    }

    /// <summary>
    /// The type a stored value has when read from an entity: the property's own type without a converter; with one, the
    /// provider type, made nullable when the property can hold a null and the provider type is a struct.
    /// </summary>
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    public static Type StoredPropertyType(PropertyModel property)
    {
        var type = property.PropertyType;
        if (property.Converter is null)
        {
            return type;
        }

        var canBeNull = !type.IsValueType || property.IsNullableValueType;
        return canBeNull && property.StoredType.IsValueType ? typeof(Nullable<>).MakeGenericType(property.StoredType) : property.StoredType;
    }

    /// <summary>
    /// Reads the property of <paramref name="entity"/> (an expression of the entity's type) as its stored value, of
    /// <see cref="StoredPropertyType"/>: the converter is inlined, and a null never reaches it.
    /// </summary>
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    public static Expression ReadStored(PropertyModel property, Expression entity)
    {
        var read = Read(property, entity);
        if (property.Converter is not { } converter)
        {
            return read;
        }

        var target = StoredPropertyType(property);
        Expression Convert(Expression value)
        {
            var stored = Expression.Invoke(converter.ToProvider, value);
            return stored.Type == target ? stored : Expression.Convert(stored, target);
        }

        if (!property.IsNullableValueType && read.Type.IsValueType)
        {
            return Convert(read);
        }

        var model = Expression.Variable(read.Type, "model");
        var body = property.IsNullableValueType
            ? Expression.Condition(NullableMembers.HasValue(model), Convert(NullableMembers.Value(model)), Expression.Default(target))
            : Expression.Condition(Expression.Equal(model, Expression.Constant(null, read.Type)), Expression.Default(target), Convert(model));
        return Expression.Block(target, [model], Expression.Assign(model, read), body);
    }

    /// <summary>Converts <paramref name="stored"/>, a non-null value of <see cref="PropertyModel.StoredType"/>, to the property's type.</summary>
    public static Expression FromStored(PropertyModel property, Expression stored)
    {
        var value = property.Converter is { } converter ? Expression.Invoke(converter.FromProvider, stored) : stored;
        return value.Type == property.PropertyType ? value : Expression.Convert(value, property.PropertyType);
    }

    /// <summary>
    /// Whether a value-type property (a generated key) still holds its default, read typed: no box per call. Null for a
    /// property that is a reference type or <see cref="Nullable{T}"/>.
    /// </summary>
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    public static Func<object, bool>? IsDefault(PropertyInfo property)
    {
        var type = property.PropertyType;
        if (!type.IsValueType || Nullable.GetUnderlyingType(type) is not null)
        {
            return null;
        }

        return LazyDelegates.OnFirstUse(() =>
        {
            var getter = Delegate.CreateDelegate(typeof(Func<,>).MakeGenericType(property.DeclaringType!, type), property.GetMethod!);
            return (Func<object, bool>)IsDefaultOfMethod(property.DeclaringType!, type).Invoke(null, [getter])!;
        });
    }

    // IsDefault checks that valueType is a value type, not Nullable<T>.
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    [UnconditionalSuppressMessage("Trimming", "IL2071:UnrecognizedReflectionPattern", Justification = "IsDefaultOf's TValue is a value type (struct): the parameterless constructor the constraint asks for is its default, which needs none kept, and IsDefaultOf calls none.")]
    private static MethodInfo IsDefaultOfMethod(Type entityType, Type valueType) =>
        typeof(PropertyAccessors).GetMethod(nameof(IsDefaultOf), BindingFlags.Static | BindingFlags.NonPublic)!.MakeGenericMethod(entityType, valueType);

    private static Func<object, bool> IsDefaultOf<TEntity, TValue>(Func<TEntity, TValue> get)
        where TValue : struct => entity => EqualityComparer<TValue>.Default.Equals(get((TEntity)entity), default);
}
