using System.Collections.Concurrent;

namespace Premix.Plans;

/// <summary>
/// The many-row UPDATE statements of one entity (<see cref="Providers.IRowListUpdateDialect"/>), one set per set of
/// changed columns (a bit mask, as in <see cref="UpdateStatements"/>), each built the first time that set occurs.
/// <see langword="null"/> for a set that updates nothing (an entity that is all key, without a version).
/// </summary>
internal sealed class RowListUpdates(Func<ulong, RowListStatements?> build)
{
    private ConcurrentDictionary<ulong, RowListStatements?>? _byMask; // made on first use (LazyInitializer; see UpdateStatements)

    public RowListStatements? For(ulong mask) => LazyInitializer.EnsureInitialized(ref _byMask, static () => new()).GetOrAdd(mask, build);
}
