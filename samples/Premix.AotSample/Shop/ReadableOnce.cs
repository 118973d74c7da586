using System.Collections;

namespace AotShop;

/// <summary>
/// A sequence that can be read once, as a reader's rows: reading it again throws, so a query that reads a list more than
/// once (its nulls, its IN list, its parameters) fails instead of binding other values than it shaped the SQL for.
/// </summary>
internal sealed class ReadableOnce<T>(IEnumerable<T> items) : IEnumerable<T>
{
    private bool _read;

    public IEnumerator<T> GetEnumerator()
    {
        if (_read)
        {
            throw new InvalidOperationException("This sequence was read already: it can be read once.");
        }

        _read = true;
        return items.GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
