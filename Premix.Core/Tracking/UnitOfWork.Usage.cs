using Premix.Diagnostics;
using Premix.Execution;

namespace Premix.Tracking;

/// <summary>
/// Misuse caught before any SQL: a unit of work that was disposed, or one used by two flows at once (two threads, or a
/// second call not awaited), which the drivers would otherwise report each their own way ("A command is already in
/// progress", a broken connection, or nothing at all).
/// </summary>
internal sealed partial class UnitOfWork
{
    // The commit whose hooks run in this flow: a hook may use the unit of work that runs it.
    private static readonly AsyncLocal<UnitOfWork?> HookOwner = new();

    private int _busy;
    private int _openStreams;

    /// <summary>
    /// Marks the unit of work busy until the returned scope is disposed. Every public member that reads or changes its
    /// state enters first; <paramref name="runsSql"/> members are also refused while a stream is open on its connection.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The unit of work was disposed.</exception>
    /// <exception cref="InvalidOperationException">Another operation on it has not finished.</exception>
    public SessionUsage Enter(bool runsSql)
    {
        ThrowIfDisposed();
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            // Hooks run inside the commit that holds the unit of work, in its flow: they may use it.
            if (!ReferenceEquals(HookOwner.Value, this))
            {
                throw ConcurrentUse();
            }

            if (runsSql && StatementRecording.IsActive)
            {
                StatementRecording.Entered(this); // a hook's statements come from the hook
            }

            return default;
        }

        if (runsSql && Volatile.Read(ref _openStreams) > 0)
        {
            Volatile.Write(ref _busy, 0);
            throw new InvalidOperationException(
                "A stream from AsAsyncEnumerable is still open on this unit of work, and its connection can run one statement at a time. Finish or dispose the stream first, or read the rows with ToListAsync.");
        }

        if (runsSql && StatementRecording.IsActive)
        {
            StatementRecording.Entered(this);
        }

        return new SessionUsage(this);
    }

    /// <summary>As a session, every statement runs SQL.</summary>
    public SessionUsage Enter() => Enter(runsSql: true);

    /// <summary>Lets the next operation in.</summary>
    public void Leave() => Volatile.Write(ref _busy, 0);

    /// <summary>Marks a stream open until the returned scope is disposed: statements are refused meanwhile, in-memory work is not.</summary>
    public StreamUsage OpenStream()
    {
        using (Enter(runsSql: true))
        {
            Interlocked.Increment(ref _openStreams);
        }

        return new StreamUsage(this);
    }

    /// <exception cref="ObjectDisposedException">The unit of work was disposed.</exception>
    public void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(
                nameof(IUnitOfWork),
                "This unit of work was disposed, and whatever was not committed before was discarded. Start a new one (premix.BeginUnitOfWork(), or a new dependency-injection scope) and make the change there.");
        }
    }

    // Runs hooks with the unit of work marked as theirs, so they may use it while the commit holds it.
    private async ValueTask<bool> RunHooksAsync(List<WriteOperation> operations, bool before, CancellationToken cancellationToken)
    {
        var previous = HookOwner.Value;
        HookOwner.Value = this;
        try
        {
            return await _hooks.RunAsync(operations, before, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            HookOwner.Value = previous;
        }
    }

    private static InvalidOperationException ConcurrentUse() => new(
        "A second operation was started on this unit of work before the previous one finished. A unit of work, like its connection, serves one flow at a time: await each call before the next, and give each thread or parallel task a unit of work of its own (premix.BeginUnitOfWork(), or a dependency-injection scope each).");

    /// <summary>An open stream; disposing it lets statements run again.</summary>
    public readonly struct StreamUsage(UnitOfWork owner) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref owner._openStreams);
    }
}
