using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Premix.Tracking;

namespace Premix.Querying;

/// <summary>
/// Numbers the distinct keys of one include's parents (0, 1, ...), keeps those keys in that order for the children's query,
/// and finds a child's parent number by its foreign key: how <see cref="IncludeLoader"/> groups children without a list
/// per parent. An include of a BelongsTo navigation numbers the other way: its rows' distinct foreign keys
/// (<see cref="AddForeignKey"/>), then each parent read by them (<see cref="FindKey"/>). A single value-type key whose properties are plain on both ends (no converter, no value object, not a
/// type+id pair) is read typed: its keys are never boxed (see <see cref="Keys"/>) and the numbering is a reused one
/// (kept in <see cref="Execution.SharedSlots{T}"/>). Any other key is read as <see cref="RelationPlan.PrincipalKeyOf"/> and <see cref="RelationPlan.ForeignKeyOf"/>
/// read it, with the same equality as before.
/// </summary>
internal abstract class ParentSlots
{
    /// <summary>The largest numbering kept once its load is done: 4096 keys.</summary>
    public const int MaxKept = 4096;

    /// <summary>The number of <paramref name="parent"/>'s key; a key not seen before is numbered next and added to <see cref="Keys"/>.</summary>
    public abstract int Add(object parent);

    /// <summary>The number of the parent <paramref name="child"/> refers to, or -1 when its foreign key is none of the parents'.</summary>
    public abstract int Find(object child);

    /// <summary>
    /// The other direction (an include of a BelongsTo navigation, whose rows are the children): the number of
    /// <paramref name="child"/>'s foreign key, a key not seen before numbered next and added to <see cref="Keys"/>; -1 when
    /// it refers to no parent (a null foreign key, or a type+id pair naming another target).
    /// </summary>
    public abstract int AddForeignKey(object child);

    /// <summary>The other direction: the number of <paramref name="parent"/>'s key, or -1 when no child's foreign key is it.</summary>
    public abstract int FindKey(object parent);

    /// <summary>
    /// The distinct keys added, in number order. Typed keys are an <see cref="IReadOnlyList{T}"/> of their type as well,
    /// which a dialect reads without boxing (<see cref="Providers.ListCondition.ToParameter"/>); read as objects, each value
    /// is boxed as it is read. Valid until <see cref="Release"/>.
    /// </summary>
    public abstract IReadOnlyList<object> Keys { get; }

    /// <summary>
    /// Ends the load: a typed numbering is emptied and kept for a next load (on any thread) (unless it grew past
    /// <see cref="MaxKept"/>), so neither it nor its keys may be used afterwards. A load that fails does not call it.
    /// </summary>
    public virtual void Release()
    {
    }

    /// <summary>Makes the numbering for one load of <paramref name="capacity"/> parents.</summary>
    public delegate ParentSlots Factory(int capacity);

    /// <summary>
    /// The factory for <paramref name="relation"/> (HasMany or HasOne; a BelongsTo numbers its children's foreign keys with
    /// <see cref="AddForeignKey"/>), chosen once per relation: with a generated model, its
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
        // Numberings between loads, for any relation keyed by TKey (a load sets its readers); shared by every thread, as a
        // load releases its numbering after its read's awaits, maybe on another thread.
        private static readonly Execution.SharedSlots<Slots> Free = new();

        private Func<object, TKey> ParentKey { get; } = parentKey;

        private Func<object, TKey?> ChildKey { get; } = childKey;

        // A kept numbering, or a new one when every kept one is out.
        public ParentSlots Factory(int capacity)
        {
            var slots = Free.Take() ?? new Slots(capacity);
            slots.Readers = this;
            return slots;
        }

        private sealed class Slots : ParentSlots
        {
            private readonly Dictionary<TKey, int> _slots;
            private readonly KeyList _keys;

            public Slots(int capacity)
            {
                _slots = new(capacity);
                _keys = new(capacity);
            }

            public Typed<TKey> Readers { get; set; } = null!;

            public override IReadOnlyList<object> Keys => _keys;

            public override int Add(object parent) => Number(Readers.ParentKey(parent));

            public override int Find(object child) => Readers.ChildKey(child) is { } key && _slots.TryGetValue(key, out var slot) ? slot : -1;

            public override int AddForeignKey(object child) => Readers.ChildKey(child) is { } key ? Number(key) : -1;

            public override int FindKey(object parent) => _slots.TryGetValue(Readers.ParentKey(parent), out var slot) ? slot : -1;

            private int Number(TKey key)
            {
                if (!_slots.TryGetValue(key, out var slot))
                {
                    _slots.Add(key, slot = _keys.Count);
                    _keys.Add(key);
                }

                return slot;
            }

            public override void Release()
            {
                _slots.Clear();
                _keys.Clear();
                Readers = null!;
                if (_keys.Capacity <= MaxKept && _slots.EnsureCapacity(0) <= MaxKept)
                {
                    Free.Give(this);
                }
            }
        }

        // The keys, typed; read as objects (as every dialect may), each is boxed as it is read.
        private sealed class KeyList(int capacity) : ObjectList, IReadOnlyList<TKey>
        {
            private TKey[] _items = new TKey[capacity];
            private int _count;

            public override int Count => _count;

            public int Capacity => _items.Length;

            TKey IReadOnlyList<TKey>.this[int index] => Item(index);

            public void Add(TKey key)
            {
                if (_count == _items.Length)
                {
                    Array.Resize(ref _items, Math.Max(4, _count * 2));
                }

                _items[_count++] = key;
            }

            public void Clear() => _count = 0; // value types: nothing to let go of

            IEnumerator<TKey> IEnumerable<TKey>.GetEnumerator()
            {
                for (var i = 0; i < _count; i++)
                {
                    yield return _items[i];
                }
            }

            protected override object Boxed(int index) => Item(index);

            private TKey Item(int index) => (uint)index < (uint)_count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));
        }
    }

    // A list read as objects whose derived class is also a list of its values' own type: a generic class cannot implement
    // IReadOnlyList<object> and IReadOnlyList<TKey> itself (they could unify, CS0695), but may add the second to a base's first.
    private abstract class ObjectList : IReadOnlyList<object>
    {
        public abstract int Count { get; }

        public object this[int index] => Boxed(index);

        public IEnumerator<object> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return Boxed(i);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        protected abstract object Boxed(int index);
    }

    private sealed class Boxed(RelationPlan relation, int capacity) : ParentSlots
    {
        private readonly Dictionary<object, int> _slots = new(capacity);
        private readonly List<object> _keys = new(capacity);

        public override IReadOnlyList<object> Keys => _keys;

        public override int Add(object parent) => Number(relation.PrincipalKeyOf(parent));

        public override int Find(object child) => relation.ForeignKeyOf(child) is { } key && _slots.TryGetValue(key, out var slot) ? slot : -1;

        public override int AddForeignKey(object child) => relation.ForeignKeyOf(child) is { } key ? Number(key) : -1;

        public override int FindKey(object parent) => _slots.TryGetValue(relation.PrincipalKeyOf(parent), out var slot) ? slot : -1;

        private int Number(object key)
        {
            if (!_slots.TryGetValue(key, out var slot))
            {
                _slots.Add(key, slot = _keys.Count);
                _keys.Add(key);
            }

            return slot;
        }
    }
}
