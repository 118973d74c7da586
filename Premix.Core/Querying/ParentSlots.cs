using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Premix.Tracking;

namespace Premix.Querying;

/// <summary>
/// Numbers the distinct keys of one include's parents (0, 1, ...) and finds a child's parent number by its foreign key:
/// how <see cref="IncludeLoader"/> groups children without a list per parent. A single value-type key whose properties
/// are plain on both ends (no converter, no value object, not a type+id pair) is read typed, so no key is boxed but the
/// parameters'; any other key is read as <see cref="RelationPlan.PrincipalKeyOf"/> and <see cref="RelationPlan.ForeignKeyOf"/>
/// read it, with the same equality as before.
/// </summary>
internal abstract class ParentSlots
{
    /// <summary>The number of <paramref name="parent"/>'s key; a key not seen before is numbered next and added, boxed, to <paramref name="keys"/>.</summary>
    public abstract int Add(object parent, List<object> keys);

    /// <summary>The number of the parent <paramref name="child"/> refers to, or -1 when its foreign key is none of the parents'.</summary>
    public abstract int Find(object child);

    /// <summary>Makes the numbering for one load of <paramref name="capacity"/> parents.</summary>
    public delegate ParentSlots Factory(int capacity);

    /// <summary>
    /// The factory for <paramref name="relation"/> (HasMany or HasOne), chosen once per relation: with a generated model, its
    /// typed key readers (written for the same keys <see cref="TypedKey"/> picks), otherwise readers compiled here, or boxed
    /// keys when dynamic code is off.
    /// </summary>
    public static Factory For(RelationPlan relation)
    {
        if (relation.Generated is { } generated)
        {
            return generated.Code.ParentSlots ?? (capacity => new Boxed(relation, capacity));
        }

        // Under native AOT (dynamic code off) the typed numbering would need a generic type made at run time and compiled
        // readers: without a generated model's typed readers the keys are numbered boxed, with the same equality.
        if (RuntimeFeature.IsDynamicCodeSupported && TypedKey(relation) is var (principalKey, dependentKey, keyType))
        {
            var parentKey = Reader(principalKey.Property, keyType);
            var childKey = Reader(dependentKey.Property, typeof(Nullable<>).MakeGenericType(keyType));
            return TypedFactory(keyType, parentKey, childKey);
        }

        return capacity => new Boxed(relation, capacity);
    }

    // The numbering of keys of keyType, a value type (TypedKey checks IsValueType).
    [RequiresDynamicCode(Plans.NativeAotPlans.Compiled)]
    [UnconditionalSuppressMessage("Trimming", "IL2071:UnrecognizedReflectionPattern", Justification = "TKey is a value type (TypedKey checks IsValueType): the parameterless constructor its struct constraint asks for is its default, which needs none kept.")]
    private static Factory TypedFactory(Type keyType, Delegate parentKey, Delegate childKey)
    {
        var typed = typeof(Typed<>).MakeGenericType(keyType);
        return (Factory)typed.GetMethod(nameof(Typed<int>.Factory))!.CreateDelegate(typeof(Factory), Activator.CreateInstance(typed, parentKey, childKey));
    }

    /// <summary>The numbering of keys read by <paramref name="parentKey"/> and <paramref name="childKey"/>, typed.</summary>
    public static Factory OfTypedKeys<TKey>(Func<object, TKey> parentKey, Func<object, TKey?> childKey)
        where TKey : struct => new Typed<TKey>(parentKey, childKey).Factory;

    /// <summary>
    /// The parent's key and the child's foreign key when they are read typed: a single value-type key whose properties are
    /// plain on both ends (no converter, no value object, not a type+id pair), the foreign key of the same type or its
    /// nullable; otherwise null. The generator writes typed readers for exactly these.
    /// </summary>
    internal static (Mapping.PropertyModel PrincipalKey, Mapping.PropertyModel ForeignKey, Type KeyType)? TypedKey(RelationPlan relation)
    {
        var key = relation.Principal.KeyParameters;
        var foreignKey = relation.ForeignKeyColumns;
        return key.Count == 1 && foreignKey.Length == 1 && relation.TypeName is null
            && key[0].Property is { Converter: null, Owner: null, PropertyType: { IsValueType: true } keyType } principalKey
            && foreignKey[0].Property is { Converter: null, Owner: null } dependentKey
            && (dependentKey.PropertyType == keyType || Nullable.GetUnderlyingType(dependentKey.PropertyType) == keyType)
                ? (principalKey, dependentKey, keyType)
                : null;
    }

    // (object entity) => (T)((TEntity)entity).Property
    [RequiresDynamicCode(Plans.NativeAotPlans.Compiled)]
    private static Delegate Reader(System.Reflection.PropertyInfo property, Type type)
    {
        var entity = Expression.Parameter(typeof(object), "entity");
        var read = Expression.Convert(Expression.Property(Expression.Convert(entity, property.DeclaringType!), property), type);
        return Plans.LazyDelegates.Compile(Expression.Lambda(typeof(Func<,>).MakeGenericType(typeof(object), type), read, entity));
    }

    private sealed class Typed<TKey>(Func<object, TKey> parentKey, Func<object, TKey?> childKey)
        where TKey : struct
    {
        private Func<object, TKey> ParentKey { get; } = parentKey;

        private Func<object, TKey?> ChildKey { get; } = childKey;

        public ParentSlots Factory(int capacity) => new Slots(this, capacity);

        private sealed class Slots(Typed<TKey> readers, int capacity) : ParentSlots
        {
            private readonly Dictionary<TKey, int> _slots = new(capacity);

            public override int Add(object parent, List<object> keys)
            {
                var key = readers.ParentKey(parent);
                if (!_slots.TryGetValue(key, out var slot))
                {
                    _slots.Add(key, slot = keys.Count);
                    keys.Add(key);
                }

                return slot;
            }

            public override int Find(object child) => readers.ChildKey(child) is { } key && _slots.TryGetValue(key, out var slot) ? slot : -1;
        }
    }

    private sealed class Boxed(RelationPlan relation, int capacity) : ParentSlots
    {
        private readonly Dictionary<object, int> _slots = new(capacity);

        public override int Add(object parent, List<object> keys)
        {
            var key = relation.PrincipalKeyOf(parent);
            if (!_slots.TryGetValue(key, out var slot))
            {
                _slots.Add(key, slot = keys.Count);
                keys.Add(key);
            }

            return slot;
        }

        public override int Find(object child) => relation.ForeignKeyOf(child) is { } key && _slots.TryGetValue(key, out var slot) ? slot : -1;
    }
}
