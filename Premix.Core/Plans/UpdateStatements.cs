using System.Collections.Concurrent;
using System.Numerics;

namespace Premix.Plans;

/// <summary>
/// The UPDATE statements of one entity, one per set of changed columns, each built the first time that set occurs and
/// then reused (the set is a bit mask over the updatable properties).
/// </summary>
internal sealed class UpdateStatements(Func<ulong, SqlStatement> build)
{
    /// <summary>The mask that means "every updatable column".</summary>
    public const ulong All = ulong.MaxValue;

    // Every column's statement, which the plan takes at startup, is kept apart: the other sets' cache is made on first use
    // (FirstUse), most processes updating no entity at all.
    private SqlStatement? _all;
    private ConcurrentDictionary<ulong, SqlStatement>? _byMask;

    public SqlStatement For(ulong mask) =>
        mask == All ? Volatile.Read(ref _all) ?? Interlocked.CompareExchange(ref _all, build(All), null) ?? _all
        : FirstUse.Of(ref _byMask, static () => new()).GetOrAdd(mask, build);

    public static bool Includes(ulong mask, int index) => mask == All || (index < 64 && (mask & (1UL << index)) != 0);

    public static int Count(ulong mask, int updatable) => mask == All ? updatable : BitOperations.PopCount(mask);
}
