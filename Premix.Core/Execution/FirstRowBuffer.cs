namespace Premix.Execution;

/// <summary>
/// A one-row list per thread for the reads that take only their first row (a lookup by key, <c>FirstOrDefaultAsync</c>):
/// rented for the read, then emptied and given back once its row is taken, so such a read allocates no list of its own.
/// </summary>
/// <remarks>
/// A read that fails keeps its list (the thread's next read makes another); a read that starts while the thread's list is
/// out (a hook that reads) makes its own. The list is emptied before it is given back, so it holds no entity.
/// </remarks>
/// <typeparam name="T">The row type.</typeparam>
internal static class FirstRowBuffer<T>
    where T : class
{
    [ThreadStatic]
    private static List<T>? _free;

    /// <summary>The thread's list, or a new one when it is out.</summary>
    public static List<T> Rent()
    {
        var list = _free ?? new List<T>(1);
        _free = null;
        return list;
    }

    /// <summary>The first row of <paramref name="rows"/> (a list from <see cref="Rent"/>), or <see langword="null"/>; gives the list back.</summary>
    public static T? TakeFirst(List<T> rows)
    {
        var first = rows.Count == 0 ? null : rows[0];
        rows.Clear();
        _free = rows;
        return first;
    }
}
