namespace Premix.Plans;

/// <summary>
/// Caches that startup builds for every entity but most processes never fill (UPDATE statements by changed columns, query
/// filter texts): each is made on first use, not at startup. A cache keyed by a value type (<c>ulong</c>, a tuple) is a
/// generic instantiation that ReadyToRun cannot precompile, so merely creating one at startup JIT-compiled its constructor
/// and tables, 100 times allocated, for a start whose first query needs none of them.
/// </summary>
internal static class FirstUse
{
    /// <summary>
    /// <paramref name="field"/>'s object, made by <paramref name="make"/> (a static lambda, so nothing is allocated per call)
    /// on the first call; threads that race on it all get the one stored first.
    /// </summary>
    public static T Of<T>(ref T? field, Func<T> make)
        where T : class =>
        Volatile.Read(ref field) ?? Interlocked.CompareExchange(ref field, make(), null) ?? field;
}
