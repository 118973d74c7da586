using System.ComponentModel;

namespace Premix.Plans;

/// <summary>
/// The navigation code of one relation of a <see cref="GeneratedEntity"/>, as <c>premix optimize</c> wrote it: reading the
/// navigation, setting a parent or child, filling a collection, numbering parents by their keys. Empty for a relation
/// declared without a navigation. The foreign key's own accessors are its properties' (<see cref="GeneratedPropertyCode"/>).
/// </summary>
public sealed class GeneratedRelationCode
{
    private Querying.ParentSlots.Factory? _parentSlots;

    /// <summary>Creates the code of the relation <paramref name="shape"/>.</summary>
    /// <param name="shape">The relation's shape (<see cref="Shape"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="shape"/> is null.</exception>
    public GeneratedRelationCode(string shape) => Shape = shape ?? throw new ArgumentNullException(nameof(shape));

    /// <summary>
    /// The relation's <see cref="GeneratedRelation.Shape"/>: the code is matched to the description by position, and the
    /// first use checks this shape against the description's.
    /// </summary>
    public string Shape { get; }

    /// <summary>Reads the navigation of the declaring entity (the child collection, the child or the parent), boxed.</summary>
    public Func<object, object?>? Get { get; init; }

    /// <summary>
    /// Sets the navigation when its setter is public (<see cref="GeneratedRelation.SetsNavigation"/>): the parent or child of
    /// a single-object navigation, the new list of a collection; <see langword="null"/> when it has none (a collection is then
    /// refilled in place).
    /// </summary>
    public Action<object, object?>? Set { get; init; }

    /// <summary>
    /// For a collection navigation: <see cref="GeneratedRelation.CollectionOf{TChild}"/> of its child type. The children's
    /// segment is valid only during the call (its array is pooled): a fill copies them and never keeps the segment.
    /// </summary>
    public Func<object?, ArraySegment<object>, bool, object>? Fill { get; init; }

    /// <summary>How an include numbers the parents' keys when they are read typed (see <see cref="WithTypedKeys{TKey}"/>); otherwise null.</summary>
    internal Querying.ParentSlots.Factory? ParentSlots => _parentSlots;

    /// <summary>
    /// Gives an include of this relation (declared on the parent) typed readers of the parent's key and of a child's foreign
    /// key, for a single value-type key read as it is (the keys are then numbered without boxing, as with compiled plans).
    /// Called once, by the generated code that creates the relation's code: it is made once per process and shared by every
    /// Premix of it, so its keys are never replaced once set.
    /// </summary>
    /// <typeparam name="TKey">The key's type.</typeparam>
    /// <param name="parentKey">Reads the parent's key.</param>
    /// <param name="childKey">Reads a child's foreign key (null when it has none).</param>
    /// <returns>This relation's code.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="parentKey"/> or <paramref name="childKey"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The relation's code already has its typed keys.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public GeneratedRelationCode WithTypedKeys<TKey>(Func<object, TKey> parentKey, Func<object, TKey?> childKey)
        where TKey : struct
    {
        ArgumentNullException.ThrowIfNull(parentKey);
        ArgumentNullException.ThrowIfNull(childKey);
        if (_parentSlots is not null)
        {
            throw new InvalidOperationException("The relation's code already has its typed keys: WithTypedKeys is called once, by the generated code that creates it.");
        }

        _parentSlots = Querying.ParentSlots.OfTypedKeys(parentKey, childKey);
        return this;
    }
}
