using System.Numerics;
using Premix.Providers;

namespace Premix.Plans;

/// <summary>
/// The many-row upserts of one entity and conflict target (<see cref="IRowListInsertDialect.UpsertRows"/>), one per chunk
/// size of <see cref="RowListInserts"/>, each built the first time a commit needs it. Placeholders are numbered as the
/// inserts' are (<c>@p0</c>, <c>@p1</c>, …: row by row, column by column), over the same columns, so the inserts' names
/// bind them.
/// </summary>
internal sealed class RowListUpserts(IRowListInsertDialect dialect, UpsertShape shape)
{
    private readonly SqlStatement?[] _bySize = new SqlStatement?[RowListInserts.ExactUpTo + 1 + BitOperations.Log2(RowListInserts.MaxRows) - BitOperations.Log2(RowListInserts.ExactUpTo)];

    /// <summary>The statement that upserts <paramref name="rows"/> rows (a number <see cref="RowListInserts.ChunkFor"/> gives), or <see langword="null"/> where the dialect has none for this shape.</summary>
    public SqlStatement? For(int rows, IReadOnlyList<ParameterBinding> bindings)
    {
        var slot = rows <= RowListInserts.ExactUpTo ? rows : RowListInserts.ExactUpTo + BitOperations.Log2((uint)rows) - BitOperations.Log2(RowListInserts.ExactUpTo);
        if (Volatile.Read(ref _bySize[slot]) is { } built)
        {
            return built;
        }

        var placeholders = new string[rows][];
        for (var row = 0; row < rows; row++)
        {
            placeholders[row] = new string[bindings.Count];
            for (var column = 0; column < bindings.Count; column++)
            {
                placeholders[row][column] = "@p" + ((row * bindings.Count) + column).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return dialect.UpsertRows(shape, placeholders) is { } sql ? _bySize[slot] = new SqlStatement("UpsertMany", sql, bindings) : null;
    }
}
