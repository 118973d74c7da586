using System.ComponentModel;
using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// One relation declared on a <see cref="GeneratedEntity"/>, as <c>premix optimize</c> wrote it: what it was generated from
/// (compared at startup) and, for a relation with a navigation property, the navigation's accessors that <c>Include</c> and a
/// commit use (reading the navigation, setting a parent or child, filling a collection, numbering parents by their keys).
/// The foreign key's own accessors are its properties' (<see cref="GeneratedProperty"/>).
/// </summary>
public sealed class GeneratedRelation
{
    private Querying.ParentSlots.Factory? _parentSlots;

    /// <summary>Creates the relation's description.</summary>
    /// <param name="shape">What the relation was generated from (<see cref="Shape"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="shape"/> is null.</exception>
    public GeneratedRelation(string shape) => Shape = shape ?? throw new ArgumentNullException(nameof(shape));

    /// <summary>
    /// The relation as the mapping declared it when the model was generated: kind, navigation, entity at the other end and
    /// foreign key (<c>HasMany Lines to OrderLine by OrderId</c>); the start compares it with the mapping's.
    /// </summary>
    public string Shape { get; }

    /// <summary>The navigation property's name, or <see langword="null"/> for a relation declared without one.</summary>
    public string? Navigation { get; init; }

    /// <summary>Reads the navigation of the declaring entity (the child collection, the child or the parent), boxed.</summary>
    public Func<object, object?>? Get { get; init; }

    /// <summary>
    /// Sets the navigation when its setter is public: the parent or child of a single-object navigation, the new list of a
    /// collection; <see langword="null"/> when it has none (a collection is then refilled in place).
    /// </summary>
    public Action<object, object?>? Set { get; init; }

    /// <summary>For a collection navigation: <see cref="CollectionOf{TChild}"/> of its child type.</summary>
    public Func<object?, ArraySegment<object>, bool, object>? Fill { get; init; }

    /// <summary>How an include numbers the parents' keys when they are read typed (see <see cref="WithTypedKeys{TKey}"/>); otherwise null.</summary>
    internal Querying.ParentSlots.Factory? ParentSlots => _parentSlots;

    /// <summary>
    /// Gives an include of this relation (declared on the parent) typed readers of the parent's key and of a child's foreign
    /// key, for a single value-type key read as it is (the keys are then numbered without boxing, as with compiled plans).
    /// Called once, by the generated initializer that creates the relation: the relation is shared by every Premix of the
    /// process, so its keys are never replaced once set.
    /// </summary>
    /// <typeparam name="TKey">The key's type.</typeparam>
    /// <param name="parentKey">Reads the parent's key.</param>
    /// <param name="childKey">Reads a child's foreign key (null when it has none).</param>
    /// <returns>This relation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="parentKey"/> or <paramref name="childKey"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The relation already has its typed keys.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public GeneratedRelation WithTypedKeys<TKey>(Func<object, TKey> parentKey, Func<object, TKey?> childKey)
        where TKey : struct
    {
        ArgumentNullException.ThrowIfNull(parentKey);
        ArgumentNullException.ThrowIfNull(childKey);
        if (_parentSlots is not null)
        {
            throw new InvalidOperationException($"The relation {Shape} already has its typed keys: WithTypedKeys is called once, by the generated code that creates it.");
        }

        _parentSlots = Querying.ParentSlots.OfTypedKeys(parentKey, childKey);
        return this;
    }

    /// <summary>
    /// The collection to hold <paramref name="children"/>: a new <see cref="List{T}"/> when <paramref name="replace"/> (the
    /// navigation has a public setter) or when <paramref name="existing"/> is no <see cref="ICollection{T}"/>; otherwise
    /// <paramref name="existing"/>, cleared and refilled. Generated code and compiled plans fill collections with it alike.
    /// </summary>
    /// <typeparam name="TChild">The child entity type.</typeparam>
    /// <param name="existing">The collection the navigation holds now, or null.</param>
    /// <param name="children">The children, each a <typeparamref name="TChild"/>.</param>
    /// <param name="replace">Whether the result will be set on the navigation.</param>
    /// <returns>The collection holding <paramref name="children"/>, in their order.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static object CollectionOf<TChild>(object? existing, ArraySegment<object> children, bool replace)
    {
        var collection = replace || existing is not ICollection<TChild> current ? new List<TChild>(children.Count) : current;
        collection.Clear();
        foreach (var child in children)
        {
            collection.Add((TChild)child);
        }

        return collection;
    }

    /// <summary>The <see cref="Shape"/> of <paramref name="relation"/> as the mapping declares it now.</summary>
    internal static string ShapeOf(RelationModel relation) =>
        $"{relation.Kind} {relation.Navigation?.Name ?? "(no navigation)"} to {relation.Target.Name} by {relation.ForeignKeyName}";
}
