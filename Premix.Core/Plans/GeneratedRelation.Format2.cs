using System.ComponentModel;

namespace Premix.Plans;

// The navigation code generated-code format 2 sets on the description, kept so that it still builds and its start fails
// naming the format (see GeneratedEntity.Format2.cs). Nothing reads it.
public sealed partial class GeneratedRelation
{
    /// <summary>Set by generated code of format 2 and ignored (<see cref="GeneratedRelationCode.Get"/> in format 3).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Func<object, object?>? Get { init { } }

    /// <summary>Set by generated code of format 2 and ignored (<see cref="GeneratedRelationCode.Set"/> in format 3).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Action<object, object?>? Set { init { } }

    /// <summary>Set by generated code of format 2 and ignored (<see cref="GeneratedRelationCode.Fill"/> in format 3).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Func<object?, ArraySegment<object>, bool, object>? Fill { init { } }

    /// <summary>Called by generated code of format 2 and ignored (<see cref="GeneratedRelationCode.WithTypedKeys{TKey}"/> in format 3).</summary>
    /// <typeparam name="TKey">The key's type.</typeparam>
    /// <param name="parentKey">Reads the parent's key.</param>
    /// <param name="childKey">Reads a child's foreign key.</param>
    /// <returns>This relation.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public GeneratedRelation WithTypedKeys<TKey>(Func<object, TKey> parentKey, Func<object, TKey?> childKey)
        where TKey : struct => this;
}
