using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// Compiled, once per entity, into delegates that copy an entity (the snapshot taken at load) and tell which mapped
/// properties differ from it, without reflection or boxing per call.
/// </summary>
internal static class Snapshots
{
    private static readonly MethodInfo MemberwiseCloneMethod = typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!;

    /// <summary>
    /// A shallow copy of the entity; byte arrays, JSON documents and value objects (<c>Owns</c>) are copied too, since they can change in place,
    /// and their copies are what a change is compared with.
    /// </summary>
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    public static Func<object, object> Copier(EntityModel entity)
    {
        var source = Expression.Parameter(typeof(object), "source");
        var copy = Expression.Variable(entity.ClrType, "copy");
        var body = new List<Expression>
        {
            Expression.Assign(copy, Expression.Convert(Expression.Call(source, MemberwiseCloneMethod), entity.ClrType)),
        };
        foreach (var property in entity.Properties.Where(p => p.ValueType == typeof(byte[]) && p.Owner is null && p.Property.SetMethod is not null))
        {
            var value = Expression.Property(copy, property.Property);
            var cloned = Expression.Convert(Expression.Call(value, typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!), typeof(byte[]));
            body.Add(Expression.IfThen(Expression.NotEqual(value, Expression.Constant(null)), Expression.Assign(value, cloned)));
        }

        // An array column's elements can change in place (tags[0] = "x", list.Add(...)): the snapshot holds a copy of them.
        foreach (var property in entity.Properties.Where(p => p.ArrayElementType is not null && p.Owner is null && p.Property.SetMethod is not null))
        {
            var value = Expression.Property(copy, property.Property);
            var cloned = Expression.Call(typeof(Snapshots).GetMethod(nameof(CopyElements), BindingFlags.Static | BindingFlags.NonPublic)!.MakeGenericMethod(property.ArrayElementType!), value);
            body.Add(Expression.IfThen(Expression.NotEqual(value, Expression.Constant(null, value.Type)), Expression.Assign(value, Expression.Convert(cloned, value.Type))));
        }

        // A JSON document is copied through its text: the snapshot must not share an object the application may change in place.
        foreach (var property in entity.Properties.Where(p => p.StoresJson && p.Owner is null && p.Property.SetMethod is not null))
        {
            var stored = Expression.Variable(typeof(string), "json");
            body.Add(Expression.Block(
                [stored],
                Expression.Assign(stored, PropertyAccessors.ReadStored(property, copy)),
                Expression.IfThen(Expression.NotEqual(stored, Expression.Constant(null, typeof(string))), Expression.Assign(Expression.Property(copy, property.Property), PropertyAccessors.FromStored(property, stored)))));
        }

        // A composite value is copied attribute by attribute (a shallow copy: its attributes are scalars), for the same reason.
        foreach (var property in entity.Properties.Where(p => p.CompositeType is not null && !p.ValueType.IsValueType && p.Owner is null && p.Property.SetMethod is not null))
        {
            var value = Expression.Property(copy, property.Property);
            var cloned = Expression.Convert(Expression.Call(value, MemberwiseCloneMethod), property.Property.PropertyType);
            body.Add(Expression.IfThen(Expression.NotEqual(value, Expression.Constant(null, property.Property.PropertyType)), Expression.Assign(value, cloned)));
        }

        // Outer value objects first: a nested one is then replaced inside the outer copy, never inside the entity's own object.
        // A nested one without a setter is copied with its holder instead (see Copy), so each is a copy of its own.
        var owners = entity.Properties.SelectMany(p => p.Owner?.Path ?? []).Distinct().OrderBy(o => o.Path.Count).ToList();
        foreach (var owner in owners.Where(o => o.Navigation.SetMethod is not null))
        {
            body.Add(owner.Parent is null ? Cloned(copy, owner, owners, entity) : PropertyAccessors.Through(owner.Parent, copy, typeof(void), holder => Cloned(holder, owner, owners, entity)));
        }

        body.Add(Expression.Convert(copy, typeof(object)));
        return LazyDelegates.Compiled(Expression.Lambda<Func<object, object>>(Expression.Block([copy], body), source));
    }

    // holder.Owned = holder.Owned is null ? null : Copy(holder.Owned)
    private static Expression Cloned(Expression holder, OwnedModel owner, IReadOnlyList<OwnedModel> owners, EntityModel entity)
    {
        var value = Expression.Property(holder, owner.Navigation);
        return Expression.IfThen(Expression.NotEqual(value, Expression.Constant(null, owner.ClrType)), Expression.Assign(value, Copy(value, owner, owners, entity)));
    }

    // A copy of a value object (not null): its MemberwiseClone, unless it holds a nested value object without a setter, which
    // the clone would share. It is then made anew through the constructor the reader uses, given a copy of each such nested
    // object, and its other read-write properties are copied over; nested objects with setters are replaced afterwards.
    private static Expression Copy(Expression value, OwnedModel owner, IReadOnlyList<OwnedModel> owners, EntityModel entity)
    {
        var fixedNested = owners.Where(o => o.Parent == owner && o.Navigation.SetMethod is null).ToList();
        if (fixedNested.Count == 0)
        {
            return Expression.Convert(Expression.Call(value, MemberwiseCloneMethod), owner.ClrType);
        }

        var original = Expression.Variable(owner.ClrType, "original");
        var copy = Expression.Variable(owner.ClrType, "copied");
        var parameters = owner.Constructor.GetParameters();
        var members = owner.ClrType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is { IsPublic: true }).ToList();
        var arguments = parameters.Select(parameter =>
        {
            var member = members.First(m => string.Equals(m.Name, parameter.Name, StringComparison.OrdinalIgnoreCase) && m.PropertyType == parameter.ParameterType);
            var read = Expression.Property(original, member);
            return fixedNested.FirstOrDefault(o => o.Navigation.Name == member.Name) is { } nested
                ? Expression.Condition(Expression.Equal(read, Expression.Constant(null, member.PropertyType)), Expression.Constant(null, member.PropertyType), Copy(read, nested, owners, entity))
                : (Expression)read;
        });
        var passed = parameters.Select(p => p.Name!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var copiedOver = CopiedOver(owner, owners, entity, members, passed)
            .Select(m => (Expression)Expression.Assign(Expression.Property(copy, m), Expression.Property(original, m)));
        return Expression.Block(
            owner.ClrType,
            [original, copy],
            [Expression.Assign(original, value), Expression.Assign(copy, Expression.New(owner.Constructor, arguments)), .. copiedOver, copy]);
    }

    /// <summary>
    /// The members of a value object made anew for a snapshot that are copied over after its constructor: its public
    /// read-write properties, and every mapped member and held value object with a setter of any kind (private, <c>init</c>),
    /// as the reader sets them (<see cref="ValueObjectMembers"/>), so the copy holds every value a change is compared on.
    /// The generator's copy (Premix.Generation) copies the same members; <c>GeneratedValueObject.ShapeOf</c> names those
    /// without a public setter, so a model generated before its copy set them fails the start: change both together.
    /// </summary>
    internal static List<PropertyInfo> CopiedOver(OwnedModel owner, IReadOnlyList<OwnedModel> owners, EntityModel entity, IReadOnlyList<PropertyInfo> members, IReadOnlySet<string> passed) =>
        members.Where(m => m.SetMethod is { IsPublic: true })
            .Concat(entity.Properties.Where(p => p.Owner == owner).Select(p => p.Property))
            .Concat(owners.Where(o => o.Parent == owner).Select(o => o.Navigation))
            .Where(m => m.SetMethod is not null && !passed.Contains(m.Name))
            .DistinctBy(m => m.Name)
            .ToList();

    /// <summary>Copies every mapped property from one instance onto another (to refresh a tracked entity in place).</summary>
    public static Action<object, object> Assigner(EntityModel entity)
    {
        var source = Expression.Parameter(typeof(object), "source");
        var target = Expression.Parameter(typeof(object), "target");
        var typedSource = Expression.Convert(source, entity.ClrType);
        var typedTarget = Expression.Convert(target, entity.ClrType);
        var assigned = entity.Properties.Select(p => p.Owner?.Root.Navigation ?? p.Property).Distinct(); // a value object once, whole
        var assignments = assigned.Where(p => p.SetMethod is not null)
            .Select(p => (Expression)Expression.Assign(Expression.Property(typedTarget, p), Expression.Property(typedSource, p)))
            .Append(Expression.Empty());
        return LazyDelegates.Compiled(Expression.Lambda<Action<object, object>>(Expression.Block(assignments), source, target));
    }

    /// <summary>
    /// Whether one property holds the same value in two instances (byte arrays compared by content). A converted property
    /// compares its stored values: the question is whether the column would change, and a model type's own equality may be
    /// coarser (<see cref="Uri"/> ignores the fragment) or only by reference.
    /// </summary>
    /// <remarks>
    /// Made on the first comparison (the first commit of a loaded entity), not at startup: the typed comparer is a generic
    /// method made for the property's types through reflection, per property. What it reads, <see cref="PropertyAccessors.ReadStored"/>,
    /// the plan's getters have already built, so no mapping problem waits for it.
    /// </remarks>
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    public static Func<object, object, bool> Comparer(PropertyModel property)
    {
        if (property.ArrayElementType is { } element)
        {
            return LazyDelegates.OnFirstUse(() =>
            {
                var elements = typeof(Snapshots).GetMethod(nameof(SameElements), BindingFlags.Static | BindingFlags.NonPublic)!.MakeGenericMethod(PropertyAccessors.EntityType(property), element);
                return (Func<object, object, bool>)elements.Invoke(null, [PropertyAccessors.TypedStoredGetter(property)])!;
            });
        }

        if (property.CompositeType is { } composite)
        {
            return CompositeComparer(property, composite);
        }

        return LazyDelegates.OnFirstUse(() =>
        {
            var method = typeof(Snapshots).GetMethod(nameof(Same), BindingFlags.Static | BindingFlags.NonPublic)!.MakeGenericMethod(PropertyAccessors.EntityType(property), PropertyAccessors.StoredPropertyType(property));
            return (Func<object, object, bool>)method.Invoke(null, [PropertyAccessors.TypedStoredGetter(property)])!;
        });
    }

    // T[] or List<T>: a copy of the same kind, so the snapshot shares no element storage with the entity.
    private static IEnumerable<T> CopyElements<T>(IEnumerable<T> values) => values is T[] array ? (T[])array.Clone() : new List<T>(values);

    // An array column is unchanged when it holds the same elements in the same order (or is null in both).
    private static Func<object, object, bool> SameElements<TEntity, TElement>(Delegate get)
    {
        var read = (Func<TEntity, IEnumerable<TElement>?>)get;
        return (a, b) => (read((TEntity)a), read((TEntity)b)) switch
        {
            (null, null) => true,
            ({ } x, { } y) => x.SequenceEqual(y),
            _ => false,
        };
    }

    // A composite value is the same when every attribute is (its class may compare by reference only).
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    private static Func<object, object, bool> CompositeComparer(PropertyModel property, DatabaseComposite composite)
    {
        var a = Expression.Parameter(typeof(object), "a");
        var b = Expression.Parameter(typeof(object), "b");
        var entityType = PropertyAccessors.EntityType(property);
        var left = Expression.Variable(property.Property.PropertyType, "left");
        var right = Expression.Variable(property.Property.PropertyType, "right");
        var valueType = property.ValueType;
        Expression Value(ParameterExpression side) => side.Type == valueType ? side : NullableMembers.Value(side);
        Expression fieldsEqual = Expression.Constant(true);
        foreach (var field in composite.Fields)
        {
            var comparer = typeof(EqualityComparer<>).MakeGenericType(field.Property.PropertyType);
            var equal = Expression.Call(Expression.Property(null, comparer, "Default"), comparer.GetMethod("Equals", [field.Property.PropertyType, field.Property.PropertyType])!,
                Expression.Property(Value(left), field.Property), Expression.Property(Value(right), field.Property));
            fieldsEqual = Expression.AndAlso(fieldsEqual, equal);
        }

        Expression IsNull(ParameterExpression side) => side.Type.IsValueType
            ? Expression.Not(NullableMembers.HasValue(side))
            : Expression.ReferenceEqual(side, Expression.Constant(null, side.Type));
        var canBeNull = !left.Type.IsValueType || Nullable.GetUnderlyingType(left.Type) is not null;
        var body = canBeNull
            ? Expression.Condition(Expression.OrElse(IsNull(left), IsNull(right)), Expression.AndAlso(IsNull(left), IsNull(right)), fieldsEqual)
            : fieldsEqual;
        return LazyDelegates.Compiled(Expression.Lambda<Func<object, object, bool>>(
            Expression.Block([left, right],
                Expression.Assign(left, Expression.Property(Expression.Convert(a, entityType), property.Property)),
                Expression.Assign(right, Expression.Property(Expression.Convert(b, entityType), property.Property)),
                body),
            a, b));
    }

    private static Func<object, object, bool> Same<TEntity, TValue>(Func<TEntity, TValue> get)
    {
        if (typeof(TValue) == typeof(byte[]))
        {
            return (a, b) => ((byte[]?)(object?)get((TEntity)a)).AsSpan().SequenceEqual((byte[]?)(object?)get((TEntity)b)) && (get((TEntity)a) is null) == (get((TEntity)b) is null);
        }

        var comparer = EqualityComparer<TValue>.Default;
        return (a, b) => comparer.Equals(get((TEntity)a), get((TEntity)b));
    }
}
