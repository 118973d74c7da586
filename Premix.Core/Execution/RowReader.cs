using System.Data.Common;

namespace Premix.Execution;

/// <summary>
/// How the rows of a SELECT become objects: a plan's or a projection's compiled reader (typed getters by ordinal), or,
/// for raw SQL, a mapping chosen from the columns the statement returned.
/// </summary>
internal abstract class RowReader
{
    /// <summary>A reader that always builds rows with <paramref name="read"/>, whatever the columns.</summary>
    /// <param name="read">Builds one row.</param>
    public static RowReader Compiled(Func<DbDataReader, object> read) => new CompiledRowReader(read);

    /// <summary>Returns the function that builds one row, once the statement has run and its columns are known.</summary>
    /// <param name="reader">The open reader, before its first row.</param>
    /// <param name="sql">The statement, for a message about columns that fit nothing.</param>
    public abstract Func<DbDataReader, object> Open(DbDataReader reader, string sql);

    private sealed class CompiledRowReader(Func<DbDataReader, object> read) : RowReader
    {
        // Once per statement: the rows then call the compiled reader itself, not its first-use stand-in.
        public override Func<DbDataReader, object> Open(DbDataReader reader, string sql) => Plans.LazyDelegates.Resolved(ref read);
    }
}
