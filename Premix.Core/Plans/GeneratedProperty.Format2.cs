using System.ComponentModel;

namespace Premix.Plans;

// The accessors code of generated-code format 2 sets on the description, kept so that it still builds and its start fails
// naming the format (see GeneratedEntity.Format2.cs). Nothing reads them.
public sealed partial class GeneratedProperty
{
    /// <summary>Set by generated code of format 2 and ignored (<see cref="GeneratedPropertyCode.Get"/> in format 3).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Func<object, object?>? Get { init { } }

    /// <summary>Set by generated code of format 2 and ignored (<see cref="GeneratedPropertyCode.Set"/> in format 3).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Action<object, object?>? Set { init { } }

    /// <summary>Set by generated code of format 2 and ignored (<see cref="GeneratedPropertyCode.Same"/> in format 3).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Func<object, object, bool>? Same { init { } }

    /// <summary>Set by generated code of format 2 and ignored (<see cref="GeneratedPropertyCode.IsDefault"/> in format 3).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Func<object, bool>? IsDefault { init { } }
}
