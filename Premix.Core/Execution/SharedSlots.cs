namespace Premix.Execution;

/// <summary>
/// A few free items shared by every thread, for buffers a call rents before its awaits and gives back after them: the
/// call may give back on another thread than it rented on, which a per-thread (<see cref="ThreadStaticAttribute"/>) slot
/// misses (the renting thread's slot stays empty and its next call allocates anew; a caller that blocks on the call, as
/// BenchmarkDotNet or a sync-over-async host does, missed every time).
/// </summary>
/// <remarks>
/// One slot per processor (at least one), each taken with <see cref="Interlocked.Exchange{T}(ref T, T)"/> and given back
/// into the first empty one with <see cref="Interlocked.CompareExchange{T}(ref T, T, T)"/>, starting from the current
/// processor's slot as <c>ArrayPool&lt;T&gt;.Shared</c>'s per-core stacks do; an item given back when every slot is full
/// is dropped. No lock: an item is held by at most one caller at a time.
/// </remarks>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class SharedSlots<T>
    where T : class
{
    private readonly T?[] _items = new T?[Math.Max(1, Environment.ProcessorCount)];

    /// <summary>The number of slots.</summary>
    public int Count => _items.Length;

    /// <summary>A free item, or <see langword="null"/> when every slot is empty.</summary>
    public T? Take()
    {
        var start = Start();
        for (var i = 0; i < _items.Length; i++)
        {
            ref var slot = ref _items[(start + i) % _items.Length];
            if (Volatile.Read(ref slot) is not null && Interlocked.Exchange(ref slot, null) is { } item)
            {
                return item;
            }
        }

        return null;
    }

    /// <summary>Keeps <paramref name="item"/> in the first empty slot, or drops it when every slot is full.</summary>
    public void Give(T item)
    {
        var start = Start();
        for (var i = 0; i < _items.Length; i++)
        {
            ref var slot = ref _items[(start + i) % _items.Length];
            if (Volatile.Read(ref slot) is null && Interlocked.CompareExchange(ref slot, item, null) is null)
            {
                return;
            }
        }
    }

    private int Start() => _items.Length == 1 ? 0 : (int)((uint)Thread.GetCurrentProcessorId() % (uint)_items.Length);
}
