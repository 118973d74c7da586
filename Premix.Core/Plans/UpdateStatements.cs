using System.Collections.Concurrent;
using System.Numerics;

namespace Premix.Plans;

/// <summary>
/// The UPDATE statements of one entity, one per set of changed columns, each built the first time that set occurs and
/// then reused (the set is a bit mask over the updatable properties).
/// </summary>
internal sealed class UpdateStatements
{
    /// <summary>The mask that means "every updatable column".</summary>
    public const ulong All = ulong.MaxValue;

    private readonly Func<ulong, SqlStatement> _build;

    // Every column's statement is built with the others' cache: the plan takes it at startup (EntityPlan.Update).
    private readonly SqlStatement _all;

    // Made on first use (LazyInitializer, as the other caches every plan has and most processes never fill: row-list
    // updates, query-filter texts, include statements, translated queries), most processes updating no entity at all. A
    // dictionary keyed by a value type is an instantiation ReadyToRun cannot precompile, so merely creating it at startup
    // JIT-compiled its constructor and tables, once per entity, for a start whose first query needs none (issue 19).
    private ConcurrentDictionary<ulong, SqlStatement>? _byMask;

    public UpdateStatements(Func<ulong, SqlStatement> build)
    {
        _build = build;
        _all = build(All);
    }

    public SqlStatement For(ulong mask) =>
        mask == All ? _all : LazyInitializer.EnsureInitialized(ref _byMask, static () => new()).GetOrAdd(mask, _build);

    public static bool Includes(ulong mask, int index) => mask == All || (index < 64 && (mask & (1UL << index)) != 0);

    public static int Count(ulong mask, int updatable) => mask == All ? updatable : BitOperations.PopCount(mask);
}
