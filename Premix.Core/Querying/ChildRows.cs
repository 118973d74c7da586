namespace Premix.Querying;

/// <summary>
/// A list per thread for the rows an include reads only to sort them into their parents' collections: rented for the read,
/// emptied and given back once they are sorted, so a load allocates no list grown row by row (for 300 children that was
/// seven arrays, about 8 KB, a call).
/// </summary>
/// <remarks>
/// As with <see cref="Execution.FirstRowBuffer{T}"/>: a load that fails keeps its list, and one that starts while the
/// thread's list is out makes its own. A list grown past <see cref="MaxKept"/> rows is dropped rather than kept, so a
/// thread never holds more than that many references once its load is done, and none to an entity.
/// </remarks>
internal static class ChildRows
{
    /// <summary>The largest capacity given back to the thread: 4096 references (32 KB).</summary>
    public const int MaxKept = 4096;

    [ThreadStatic]
    private static List<object>? _free;

    /// <summary>The thread's list, or a new one when it is out.</summary>
    public static List<object> Rent()
    {
        var list = _free ?? [];
        _free = null;
        return list;
    }

    /// <summary>Empties <paramref name="rows"/> and keeps it for the thread's next load, unless it grew past <see cref="MaxKept"/>.</summary>
    public static void Return(List<object> rows)
    {
        rows.Clear();
        if (rows.Capacity <= MaxKept)
        {
            _free = rows;
        }
    }
}
