using System.ComponentModel;
using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// One relation declared on a <see cref="GeneratedEntity"/>, as <c>premix optimize</c> wrote it: what it was generated from,
/// compared at startup. The navigation's accessors that <c>Include</c> and a commit use are in <see cref="GeneratedRelationCode"/>,
/// made with the entity's other delegates on its first use.
/// </summary>
public sealed partial class GeneratedRelation
{
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

    /// <summary>
    /// Whether the generated code sets the navigation (<see cref="GeneratedRelationCode.Set"/>): its setter was public at
    /// generation. The start compares it with the mapping's navigation, without making the code.
    /// </summary>
    public bool SetsNavigation { get; init; }

    /// <summary>
    /// The collection to hold <paramref name="children"/>: <paramref name="existing"/> when it is an empty
    /// <see cref="List{T}"/> (as an entity's constructor makes one), filled; otherwise a new <see cref="List{T}"/> when
    /// <paramref name="replace"/> (the navigation has a public setter) or when <paramref name="existing"/> is no
    /// <see cref="ICollection{T}"/>; otherwise <paramref name="existing"/>, cleared and refilled. Generated code and
    /// compiled plans fill collections with it alike.
    /// </summary>
    /// <remarks>
    /// A collection with a public setter that is not an empty <see cref="List{T}"/> (one that holds children already, a
    /// read-only one, an array, another collection type) is replaced by a new list, as before: only the constructor's empty
    /// list, which nothing else can have seen yet, is kept, so that a load allocates no second list per parent.
    /// </remarks>
    /// <typeparam name="TChild">The child entity type.</typeparam>
    /// <param name="existing">The collection the navigation holds now, or null.</param>
    /// <param name="children">
    /// The children, each a <typeparamref name="TChild"/>. Valid only during the call: its array is pooled, and is cleared
    /// and reused once the call returns. Copy the children; never keep the segment or its array.
    /// </param>
    /// <param name="replace">Whether the result will be set on the navigation.</param>
    /// <returns>The collection holding <paramref name="children"/>, in their order.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static object CollectionOf<TChild>(object? existing, ArraySegment<object> children, bool replace)
    {
        ICollection<TChild> collection;
        if (existing is List<TChild> list && (list.Count == 0 || !replace) && list.GetType() == typeof(List<TChild>))
        {
            // The constructor's empty list (or, without a setter, the list refilled in place): sized once, not grown.
            list.Clear();
            if (list.Capacity < children.Count)
            {
                list.Capacity = children.Count;
            }

            collection = list;
        }
        else
        {
            collection = replace || existing is not ICollection<TChild> current ? new List<TChild>(children.Count) : current;
            collection.Clear();
        }

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
