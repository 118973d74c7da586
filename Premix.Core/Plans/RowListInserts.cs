using System.Numerics;
using Premix.Providers;

namespace Premix.Plans;

/// <summary>
/// The many-row INSERT statements of one entity (<see cref="IRowListInsertDialect"/>): one for each number of rows up to
/// <see cref="ExactUpTo"/> and each power of two above it up to <see cref="MaxRows"/>, each built the first time a commit
/// needs it, so a small run is one statement, a run of any length a few, and no SQL is built per call. Placeholders are numbered (<c>@p0</c>, <c>@p1</c>, …: row by row, column by
/// column), so no property name can collide with them.
/// </summary>
internal sealed class RowListInserts(IRowListInsertDialect dialect, ISqlDialect sqlDialect, string table, IReadOnlyList<string> columns, IReadOnlyList<ParameterBinding> bindings, string? generatedKey)
{
    /// <summary>The most rows one statement inserts: a chunk stays far below any packet limit for rows of usual size.</summary>
    public const int MaxRows = 256;

    /// <summary>Runs up to this many rows are written as one statement of exactly their size.</summary>
    public const int ExactUpTo = 16;

    // Slots 0 to ExactUpTo: by number of rows; then one per power of two above ExactUpTo.
    private readonly SqlStatement?[] _bySize = new SqlStatement?[ExactUpTo + 1 + BitOperations.Log2(MaxRows) - BitOperations.Log2(ExactUpTo)];
    private string[]? _parameterNames;

    /// <summary>The columns' bindings, in the order each row's placeholders follow.</summary>
    public IReadOnlyList<ParameterBinding> Bindings => bindings;

    /// <summary>The largest chunk that has a statement and fits in <paramref name="rows"/> rows.</summary>
    public static int ChunkFor(int rows) => rows <= ExactUpTo ? rows : 1 << BitOperations.Log2((uint)Math.Min(rows, MaxRows));

    /// <summary>The statement that inserts <paramref name="rows"/> rows (a number <see cref="ChunkFor"/> gives).</summary>
    public SqlStatement For(int rows)
    {
        var slot = rows <= ExactUpTo ? rows : ExactUpTo + BitOperations.Log2((uint)rows) - BitOperations.Log2(ExactUpTo);
        return Volatile.Read(ref _bySize[slot]) ?? (_bySize[slot] = Build(rows));
    }

    /// <summary>The driver's name of the parameter at <paramref name="index"/> (row × columns + column).</summary>
    public string ParameterName(int index) => (Volatile.Read(ref _parameterNames) ?? (_parameterNames = Names()))[index];

    private SqlStatement Build(int rows)
    {
        var placeholders = new string[rows][];
        for (var row = 0; row < rows; row++)
        {
            placeholders[row] = new string[bindings.Count];
            for (var column = 0; column < bindings.Count; column++)
            {
                placeholders[row][column] = "@p" + ((row * bindings.Count) + column).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return new SqlStatement("InsertMany", dialect.InsertRows(table, columns, placeholders, generatedKey), bindings);
    }

    private string[] Names() =>
        [.. Enumerable.Range(0, MaxRows * bindings.Count).Select(i => sqlDialect.ParameterName("p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))];
}
