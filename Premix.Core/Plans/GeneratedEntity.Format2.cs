using System.ComponentModel;
using System.Data.Common;

namespace Premix.Plans;

// What code written in generated-code format 2 sets, kept so that an application with such a Generated/ folder still builds:
// its start then fails naming the format (GeneratedModelCheck), and premix optimize can load the built application to write
// the current format. Nothing reads these: format 2 is refused before any of its delegates is used. Not [Obsolete]: its warning
// would fail the build of an application that treats warnings as errors, which is the build this keeps working.
public sealed partial class GeneratedEntity
{
    /// <summary>Generated code of format 2 calls it; the start refuses that format (run premix optimize again).</summary>
    /// <param name="entityType">The mapped class.</param>
    /// <exception cref="ArgumentNullException"><paramref name="entityType"/> is null.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public GeneratedEntity(Type entityType)
        : this(entityType, static () => throw new InvalidOperationException("This generated code was written in generated-code format 2, which has no code made on first use: run premix optimize again (docs/aot.md)."))
    {
    }

    /// <summary>Set by generated code of format 2 and ignored: format 3 makes the row reader on first use.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Func<DbDataReader, object>? ReadRow { init { } }

    /// <summary>Set by generated code of format 2 and ignored: format 3 makes the snapshot copy on first use.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Func<object, object>? Copy { init { } }

    /// <summary>Set by generated code of format 2 and ignored: format 3 makes the snapshot assign on first use.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Action<object, object>? Assign { init { } }
}
