using System.Data;
using System.Data.Common;

namespace Premix.Execution;

/// <summary>
/// One open connection and an outer transaction that every unit of work and raw statement of one Premix instance runs
/// on while it is active: Premix.Testing's test scope, which rolls everything back at its end. It acts as a pool of one:
/// a statement (or a unit of work's transaction) leases the connection, inside a savepoint of its own, and gives it
/// back; a lease that commits releases its savepoint, one that fails rolls back to it.
/// </summary>
/// <remarks>
/// Found by the async flow that began it, or, once shared, by every flow of its Premix instance (an in-process web
/// server's requests do not carry the test's flow). With no scope active anywhere the only cost is one static read
/// where a unit of work or a raw statement is created.
/// </remarks>
internal sealed class AmbientConnection : ISqlSession
{
    private static readonly AsyncLocal<AmbientConnection?> Flow = new();
    private static readonly Lock SharedLock = new();
    private static AmbientConnection[] s_shared = [];
    private static int s_active;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly AmbientConnection? _previous;
    private readonly TimeSpan _wait;
    private DbConnection? _connection;
    private DbTransaction? _transaction;
    private string? _savepoint;
    private int _savepoints;
    private volatile bool _ended;

    private AmbientConnection(SqlExecutor executor, AmbientConnection? previous, TimeSpan wait)
    {
        Executor = executor;
        _previous = previous;
        _wait = wait;
    }

    public SqlExecutor Executor { get; }

    /// <summary>The outer transaction every statement joins (the driver's own object, which commands must carry).</summary>
    public DbTransaction? Transaction => _transaction;

    /// <summary>The connection, once <see cref="Start"/> gave it.</summary>
    public DbConnection Connection => _connection ?? throw NotStarted();

    /// <summary>The scope active for <paramref name="executor"/> in this flow, or shared by its instance; null (one static read) when none is active anywhere.</summary>
    public static AmbientConnection? Find(SqlExecutor executor) => Volatile.Read(ref s_active) == 0 ? null : Search(executor);

    /// <summary>
    /// Makes a scope active for <paramref name="executor"/> in the caller's flow. Call it from a method that is not
    /// <c>async</c>: the value set here must outlive the call, which an async method's own flow would not let it.
    /// </summary>
    public static AmbientConnection EnterFlow(SqlExecutor executor, TimeSpan wait)
    {
        var ambient = new AmbientConnection(executor, Flow.Value, wait);
        Interlocked.Increment(ref s_active);
        Flow.Value = ambient;
        return ambient;
    }

    /// <summary>Makes a scope active for every flow of <paramref name="executor"/>'s Premix instance.</summary>
    /// <exception cref="InvalidOperationException">Another shared scope is active on that instance.</exception>
    public static AmbientConnection Share(SqlExecutor executor, TimeSpan wait)
    {
        var ambient = new AmbientConnection(executor, null, wait);
        lock (SharedLock)
        {
            if (Array.Exists(s_shared, a => a.Executor == executor))
            {
                throw new InvalidOperationException(
                    "A shared test scope is already active on this Premix instance: every flow of the instance uses it, so a second one cannot. End the first, or give each test an application (and a Premix instance) of its own.");
            }

            s_shared = [.. s_shared, ambient];
        }

        Interlocked.Increment(ref s_active);
        return ambient;
    }

    /// <summary>Gives the scope its open connection and outer transaction; statements may run from now on.</summary>
    public void Start(DbConnection connection, DbTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>
    /// Ends the scope: no statement may lease the connection any more, and it is no longer found. Leaves the caller's flow
    /// when called, as <see cref="EnterFlow"/>, from a method that is not <c>async</c>.
    /// </summary>
    public void End()
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        if (ReferenceEquals(Flow.Value, this))
        {
            Flow.Value = _previous;
        }

        lock (SharedLock)
        {
            s_shared = Array.FindAll(s_shared, a => a != this);
        }

        Interlocked.Decrement(ref s_active);
    }

    /// <summary>
    /// Takes the connection for one statement or one transaction, in a savepoint of its own, waiting while another flow
    /// has it: the connection runs one statement at a time.
    /// </summary>
    /// <exception cref="InvalidOperationException">The scope ended, or the connection stayed taken for longer than the wait.</exception>
    public async ValueTask<DbConnection> LeaseAsync(bool async, CancellationToken cancellationToken)
    {
        ThrowIfEnded();
        var connection = Connection;
        var entered = async ? await _gate.WaitAsync(_wait, cancellationToken).ConfigureAwait(false) : _gate.Wait(_wait, cancellationToken);
        if (!entered)
        {
            throw new InvalidOperationException(
                $"A statement waited {_wait.TotalSeconds:0} seconds for the test scope's connection, which another unit of work or statement held all that time. A test scope runs everything on one connection, one statement at a time: code that keeps a transaction open in one unit of work (a raw write not yet committed) while it waits for another unit of work or premix.Raw in the same flow can never finish. Commit the first unit of work before using the second, or test that code without a test scope.");
        }

        try
        {
            ThrowIfEnded();
            var savepoint = "premix_" + Interlocked.Increment(ref _savepoints).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (async)
            {
                await _transaction!.SaveAsync(savepoint, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _transaction!.Save(savepoint);
            }

            _savepoint = savepoint;
            return connection;
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    /// <summary>Waits until no statement holds the connection (at most the wait), then keeps it: the scope is ending. False when the wait ran out.</summary>
    public Task<bool> WaitIdleAsync() => _gate.WaitAsync(_wait);

    /// <summary>A unit of work's COMMIT: releases the lease's savepoint, keeping what it wrote in the outer transaction.</summary>
    public async ValueTask CommitAsync(bool async)
    {
        var savepoint = _savepoint ?? throw new InvalidOperationException("The unit of work has no savepoint to commit: it holds no lease of the test scope's connection.");
        if (async)
        {
            await _transaction!.ReleaseAsync(savepoint).ConfigureAwait(false);
        }
        else
        {
            _transaction!.Release(savepoint);
        }

        _savepoint = null;
    }

    /// <summary>A unit of work's ROLLBACK: undoes everything since the lease's savepoint.</summary>
    public async ValueTask RollBackAsync(bool async)
    {
        if (_savepoint is not { } savepoint || _connection?.State != ConnectionState.Open)
        {
            return;
        }

        if (async)
        {
            await _transaction!.RollbackAsync(savepoint).ConfigureAwait(false);
            await _transaction.ReleaseAsync(savepoint).ConfigureAwait(false);
        }
        else
        {
            _transaction!.Rollback(savepoint);
            _transaction.Release(savepoint);
        }

        _savepoint = null;
    }

    /// <summary>
    /// Gives the lease back. Its savepoint, when still there, is released; where a failed statement aborted the
    /// transaction (PostgreSQL refuses every statement after an error until a rollback), it is rolled back to first,
    /// so one failed statement costs the scope only that statement, as it would outside a transaction.
    /// </summary>
    public async ValueTask ReturnAsync(bool async)
    {
        try
        {
            if (_savepoint is not null && _connection?.State == ConnectionState.Open)
            {
                try
                {
                    await CommitAsync(async).ConfigureAwait(false);
                }
                catch (DbException)
                {
                    await RollBackAsync(async).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // The connection broke (the statement's own error is the one reported): the statements after it fail on it.
        }
        finally
        {
            _savepoint = null;
            _gate.Release();
        }
    }

    // As a session of raw statements (premix.Raw in the scope): each statement is a lease of its own.
    SessionUsage ISqlSession.Enter()
    {
        ThrowIfEnded();
        return default;
    }

    void ISqlSession.Leave()
    {
    }

    ValueTask<DbConnection> ISqlSession.AcquireAsync(bool async, CancellationToken cancellationToken) => LeaseAsync(async, cancellationToken);

    ValueTask<DbTransaction?> ISqlSession.WriteTransactionAsync(bool async, CancellationToken cancellationToken) => ValueTask.FromResult(_transaction);

    ValueTask ISqlSession.ReleaseAsync(bool async, DbConnection connection) => ReturnAsync(async);

    bool ISqlSession.TryGetOpenConnection(out DbConnection connection)
    {
        connection = null!;
        return false; // each statement leases it
    }

    // A failed read is not run again: the transaction it ran in is the scope's.
    bool ISqlSession.CanRetryReads => false;

    // A broken connection takes the scope with it; the lease is given back at release, where the savepoint is skipped.
    ValueTask ISqlSession.DiscardAsync(bool async, DbConnection connection) => ValueTask.CompletedTask;

    private static AmbientConnection? Search(SqlExecutor executor)
    {
        for (var ambient = Flow.Value; ambient is not null; ambient = ambient._previous)
        {
            if (!ambient._ended && ambient.Executor == executor)
            {
                return ambient;
            }
        }

        foreach (var ambient in Volatile.Read(ref s_shared))
        {
            if (ambient.Executor == executor)
            {
                return ambient;
            }
        }

        return null;
    }

    private void ThrowIfEnded()
    {
        if (_ended)
        {
            throw new ObjectDisposedException(
                "PremixTestScope",
                "The test scope this unit of work or statement was begun in has ended, and rolled back everything done in it. Begin units of work and statements inside the scope, and finish them before it ends.");
        }
    }

    private static InvalidOperationException NotStarted() => new(
        "The test scope has not finished starting: await PremixTestScope.BeginAsync before running statements in it.");
}
