using System.Diagnostics;
using Premix.Execution;

namespace Premix.Diagnostics;

/// <summary>
/// The hook through which Premix.Testing records statements (<c>premix.RecordQueries()</c>). A recorder sees the statements
/// of its own async flow only (an <see cref="AsyncLocal{T}"/> chain), so tests running in parallel on one Premix instance
/// never see each other's statements.
/// </summary>
/// <remarks>
/// While no recorder exists anywhere in the process, the executor and the sessions pay one read of a static field per
/// statement (<see cref="IsActive"/>) and nothing else: no stack trace, no allocation, no async-local lookup.
/// </remarks>
internal static class StatementRecording
{
    private static readonly AsyncLocal<Observers?> Flow = new();
    private static readonly AsyncLocal<StatementOrigin?> Origin = new();
    private static int _recorders;

    /// <summary>Whether any recorder exists in the process; everything else here runs only then.</summary>
    public static bool IsActive => Volatile.Read(ref _recorders) != 0;

    /// <summary>Adds <paramref name="observer"/> to the current flow until the returned scope is disposed (nested recorders all see a statement).</summary>
    public static IDisposable Start(IStatementObserver observer)
    {
        var scope = new Observers(observer, Flow.Value);
        Flow.Value = scope;
        Interlocked.Increment(ref _recorders);
        return scope;
    }

    /// <summary>
    /// A public operation of <paramref name="session"/> begins: remembers the session and the caller's stack for the
    /// statements it sends. Called before the operation's first await, while the caller's frames are still on the stack;
    /// the value lives in the operation's own async method, so it is gone when the operation returns.
    /// </summary>
    public static void Entered(ISqlSession session)
    {
        if (Flow.Value is not null)
        {
            Origin.Value = new StatementOrigin(session, new StackTrace(1, fNeedFileInfo: true));
        }
    }

    /// <summary>
    /// Reports a statement that ran (or failed, <paramref name="error"/>) to the recorders of the current flow.
    /// <paramref name="startsRoundTrip"/> is false for the second and later statements of one batch.
    /// </summary>
    public static void Executed(SqlExecutor executor, in Command command, bool startsRoundTrip, long rows, TimeSpan elapsed, Exception? error)
    {
        if (Flow.Value is not { } observers)
        {
            return;
        }

        var origin = Origin.Value ?? new StatementOrigin(null, new StackTrace(1, fNeedFileInfo: true)); // a statement outside any session (migrations)
        var statement = new ObservedStatement(executor, command, origin.Session, origin.CallerStack, startsRoundTrip, rows, elapsed, error);
        for (var node = observers; node is not null; node = node.Parent)
        {
            if (!node.Disposed)
            {
                node.Observer.Observe(statement);
            }
        }
    }

    private sealed record StatementOrigin(ISqlSession? Session, StackTrace CallerStack);

    // An immutable chain, so a flow forked inside a recorder's scope (Task.Run, Task.WhenAll) keeps seeing its recorders.
    private sealed class Observers(IStatementObserver observer, Observers? parent) : IDisposable
    {
        public IStatementObserver Observer => observer;

        public Observers? Parent => parent;

        public bool Disposed { get; private set; }

        public void Dispose()
        {
            if (Disposed)
            {
                return;
            }

            Disposed = true;
            Interlocked.Decrement(ref _recorders);
            if (ReferenceEquals(Flow.Value, this))
            {
                Flow.Value = parent;
            }
        }
    }
}

/// <summary>Receives the statements of its flow (see <see cref="StatementRecording"/>).</summary>
internal interface IStatementObserver
{
    /// <summary>A statement ran; an exception thrown here reaches the code that sent it (strict N+1 detection).</summary>
    void Observe(in ObservedStatement statement);
}

/// <summary>One statement as the executor saw it, with where it came from.</summary>
/// <param name="Executor">The executor of the Premix instance that ran it.</param>
/// <param name="Command">What Premix sent: operation, entity, SQL and parameters.</param>
/// <param name="Session">The unit of work (or the standalone session of raw SQL) whose operation sent it; null outside any session.</param>
/// <param name="CallerStack">The stack when the operation began; the first frame outside Premix is the user's call site.</param>
/// <param name="StartsRoundTrip">False for a statement that shared a batch (one round trip) with the one before.</param>
/// <param name="Rows">Rows read or affected, negative when unknown.</param>
/// <param name="Elapsed">How long it took (the batch's time for a statement of a batch).</param>
/// <param name="Error">Why it failed, or null.</param>
internal readonly record struct ObservedStatement(SqlExecutor Executor, Command Command, ISqlSession? Session, StackTrace CallerStack, bool StartsRoundTrip, long Rows, TimeSpan Elapsed, Exception? Error);
