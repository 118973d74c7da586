namespace Premix;

/// <summary>
/// A unit of work's connection kept open between operations, from <see cref="IUnitOfWork.HoldConnectionAsync"/> until
/// this is disposed: the reads and writes in between share one pooled connection instead of taking one each.
/// </summary>
/// <remarks>Disposing it more than once, or after its unit of work was disposed, does nothing.</remarks>
public sealed class ConnectionHold : IAsyncDisposable, IDisposable
{
    private Func<bool, ValueTask>? _release;

    internal ConnectionHold(Func<bool, ValueTask>? release) => _release = release;

    /// <summary>Lets the connection go back to the pool, unless a transaction still needs it (then it goes at the transaction's end).</summary>
    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _release, null)?.Invoke(true) ?? ValueTask.CompletedTask;

    /// <summary>The synchronous twin of <see cref="DisposeAsync"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _release, null) is { } release)
        {
            release(false).AsTask().GetAwaiter().GetResult();
        }
    }
}
