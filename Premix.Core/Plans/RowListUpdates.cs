using System.Collections.Concurrent;

namespace Premix.Plans;

/// <summary>
/// The many-row UPDATE statements of one entity (<see cref="Providers.IRowListUpdateDialect"/>), one set per set of
/// changed columns (a bit mask, as in <see cref="UpdateStatements"/>), each built the first time that set occurs.
/// <see langword="null"/> for a set that updates nothing (an entity that is all key, without a version).
/// </summary>
internal sealed class RowListUpdates(Func<ulong, RowListStatements?> build)
{
    private readonly ConcurrentDictionary<ulong, RowListStatements?> _byMask = new();

    public RowListStatements? For(ulong mask) => _byMask.GetOrAdd(mask, build);
}
