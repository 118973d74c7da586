namespace Premix.Execution;

/// <summary>
/// One-row lists shared by every thread (<see cref="SharedSlots{T}"/>) for the reads that take only their first row (a lookup by key, <c>FirstOrDefaultAsync</c>):
/// rented for the read, then emptied and given back once its row is taken, so such a read allocates no list of its own.
/// </summary>
/// <remarks>
/// A read that fails keeps its list (a next read makes another); a read that starts while every kept list is out makes its
/// own. A read may give its list back on another thread than it rented it on (it awaits in between), hence shared slots
/// and not one per thread. The list is emptied before it is given back, so it holds no entity.
/// </remarks>
/// <typeparam name="T">The row type.</typeparam>
internal static class FirstRowBuffer<T>
    where T : class
{
    private static readonly SharedSlots<List<T>> Free = new();

    /// <summary>A kept list, or a new one when every kept list is out.</summary>
    public static List<T> Rent() => Free.Take() ?? new List<T>(1);

    /// <summary>The first row of <paramref name="rows"/> (a list from <see cref="Rent"/>), or <see langword="null"/>; gives the list back.</summary>
    public static T? TakeFirst(List<T> rows)
    {
        var first = rows.Count == 0 ? null : rows[0];
        rows.Clear();
        Free.Give(rows);
        return first;
    }
}
