using System.Numerics;

namespace Premix.Plans;

/// <summary>
/// The many-row statements of one write (an entity's INSERT, or its UPDATE of one set of columns) where the dialect lists
/// rows (<see cref="Providers.IRowListInsertDialect"/>, <see cref="Providers.IRowListUpdateDialect"/>): one for each
/// number of rows up to <see cref="ExactUpTo"/> and each power of two above it up to <see cref="MaxRows"/>, each built the
/// first time a commit needs it, so no SQL is built per call. A run of any length is a few of them (<see cref="Chunks"/>),
/// which a commit sends together. Placeholders are positional (<c>?</c>), bound in the order <see cref="Segments"/> gives.
/// </summary>
internal sealed class RowListStatements
{
    /// <summary>
    /// Runs up to this many rows are written as one statement of exactly their size: a usual commit's run (100 changed rows,
    /// say) is then one statement for the server to parse and run, not one per power of two in its count (64 + 32 + 4).
    /// Each size's SQL is built the first time a commit needs it, so only the sizes an application writes are kept.
    /// </summary>
    public const int ExactUpTo = 128;

    /// <summary>Placeholders one statement may hold: a prepared statement takes no more (MySQL's limit).</summary>
    public const int MaxPlaceholders = 65_535;

    private const int Largest = 1024;

    private readonly string _name;
    private readonly Func<int, string> _sql;
    private readonly IReadOnlyList<ParameterBinding> _parameters;
    private readonly SqlStatement?[] _bySize = new SqlStatement?[ExactUpTo + 1 + BitOperations.Log2(Largest) - BitOperations.Log2(ExactUpTo)];

    /// <param name="name">The statements' name in logs (<c>InsertMany</c>, <c>UpdateMany</c>).</param>
    /// <param name="segments">
    /// The placeholders' order: for each segment in turn, each row's values of the segment's bindings (an INSERT has one
    /// segment, its columns; an UPDATE one per CASE and one for the key list, each naming the key again).
    /// </param>
    /// <param name="sql">The statement for a number of rows.</param>
    public RowListStatements(string name, IReadOnlyList<ParameterBinding[]> segments, Func<int, string> sql)
    {
        _name = name;
        _sql = sql;
        Segments = segments;
        _parameters = [.. segments.SelectMany(s => s)];
        var perRow = Math.Max(1, _parameters.Count);
        MaxRows = Math.Min(Largest, 1 << BitOperations.Log2((uint)Math.Max(1, MaxPlaceholders / perRow)));
    }

    /// <summary>The most rows one statement writes: 1024, or fewer where the row's placeholders would pass <see cref="MaxPlaceholders"/>.</summary>
    public int MaxRows { get; }

    /// <summary>The bindings of one row, segment by segment (see the constructor).</summary>
    public IReadOnlyList<ParameterBinding[]> Segments { get; }

    /// <summary>The sizes of the statements that write <paramref name="rows"/> rows together, largest first.</summary>
    public List<int> Chunks(int rows)
    {
        var chunks = new List<int>(8);
        while (rows > 0)
        {
            var chunk = rows <= ExactUpTo && rows <= MaxRows ? rows : 1 << BitOperations.Log2((uint)Math.Min(rows, MaxRows));
            chunks.Add(chunk);
            rows -= chunk;
        }

        return chunks;
    }

    /// <summary>The statement that writes <paramref name="rows"/> rows (a size <see cref="Chunks"/> gives).</summary>
    public SqlStatement For(int rows)
    {
        var slot = rows <= ExactUpTo ? rows : ExactUpTo + BitOperations.Log2((uint)rows) - BitOperations.Log2(ExactUpTo);
        return Volatile.Read(ref _bySize[slot]) ?? (_bySize[slot] = new SqlStatement(_name, _sql(rows), _parameters));
    }
}
