namespace Premix.Querying;

/// <summary>
/// Lists shared by every thread (<see cref="Execution.SharedSlots{T}"/>) for the rows an include reads only to sort them into their parents' collections: rented for the read,
/// emptied and given back once they are sorted, so a load allocates no list grown row by row (for 300 children that was
/// seven arrays, about 8 KB, a call).
/// </summary>
/// <remarks>
/// As with <see cref="Execution.FirstRowBuffer{T}"/>: a load that fails keeps its list, and one that starts while every
/// kept list is out makes its own. A load may give its list back on another thread than it rented it on (its read awaits
/// in between), hence shared slots and not one per thread. A list grown past <see cref="MaxKept"/> rows is dropped rather
/// than kept, so no slot holds more than that many references once its load is done, and none to an entity.
/// </remarks>
internal static class ChildRows
{
    /// <summary>The largest capacity kept: 4096 references (32 KB).</summary>
    public const int MaxKept = 4096;

    private static readonly Execution.SharedSlots<List<object>> Free = new();

    /// <summary>A kept list, or a new one when every kept list is out.</summary>
    public static List<object> Rent() => Free.Take() ?? [];

    /// <summary>Empties <paramref name="rows"/> and keeps it for a next load, unless it grew past <see cref="MaxKept"/>.</summary>
    public static void Return(List<object> rows)
    {
        rows.Clear();
        if (rows.Capacity <= MaxKept)
        {
            Free.Give(rows);
        }
    }
}
