using System.Data;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Premix.Diagnostics;
using Premix.Execution;
using Premix.Plans;
using Premix.Providers;
using Premix.Querying;
using Premix.Repositories;

namespace Premix.Tracking;

/// <summary>
/// The unit of work: one connection for the scope, an identity map and change tracker, and the commit that sends every
/// change in one transaction, parents first, checking versions, and restores the objects when anything fails.
/// </summary>
internal sealed class UnitOfWork(PremixRuntime runtime, SqlExecutor executor, ILogger logger, IsolationLevel isolationLevel, IServiceProvider? services)
    : IUnitOfWork, ISqlSession
{
    private readonly Dictionary<Type, object> _repositories = [];
    private readonly HookRunner _hooks = new(services);
    private DbConnection? _connection;
    private Func<IUnitOfWork, CancellationToken, Task<bool>>? _verifyCommit;
    private bool _connectionCounted;
    private bool _transactionLost;
    private bool _disposed;

    public bool HasPendingChanges =>
        Tracker.Entries.Any(e => e.State != EntityState.Unchanged || e.Plan.ChangedMask(e.Entity, e.Snapshot!) != 0) || Transaction is not null;

    public SqlExecutor Executor => executor;

    public DbTransaction? Transaction { get; private set; }

    internal ChangeTracker Tracker { get; } = new();

    internal PremixRuntime Runtime => runtime;

    public IRepository<T> Repository<T>()
        where T : class
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_repositories.TryGetValue(typeof(T), out var repository))
        {
            repository = new Repository<T>(this);
            _repositories.Add(typeof(T), repository);
        }

        return (IRepository<T>)repository;
    }

    public RawQuery Raw(string sql, object? args = null) => new(this, sql, args);

    public Task CommitAsync(CancellationToken cancellationToken = default) => CommitAsync(true, cancellationToken).AsTask();

    public void Commit() => CommitAsync(false, CancellationToken.None).GetAwaiter().GetResult();

    public void VerifyCommitWith(Func<IUnitOfWork, CancellationToken, Task<bool>> wasCommitted) =>
        _verifyCommit = wasCommitted ?? throw new ArgumentNullException(nameof(wasCommitted));

    /// <summary>
    /// Commits, and runs the whole commit again from the tracked objects after a transient failure (each failed attempt
    /// rolled back and restored them), as the resilience options allow.
    /// </summary>
    private async ValueTask CommitAsync(bool async, CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        var retries = executor.Retries;
        // Raw writes already in the transaction would be lost by a replay: such a commit is tried once.
        var replayable = retries.RetriesCommits && Transaction is null;
        try
        {
            await CommitOnceAsync(async, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (replayable && retries.IsRetryable(e) && !cancellationToken.IsCancellationRequested)
        {
            await retries.RetryAsync(
                async, "commit", e, static async (async, unitOfWork, token) =>
                {
                    await unitOfWork.CommitOnceAsync(async, token).ConfigureAwait(false);
                    return true;
                }, this, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask CommitOnceAsync(bool async, CancellationToken cancellationToken)
    {
        var undo = new UndoLog();
        var planner = new CommitPlanner(Tracker, runtime.Relations);
        List<WriteOperation> operations;
        try
        {
            operations = planner.Plan(undo);
            if (await _hooks.RunAsync(operations, before: true, cancellationToken).ConfigureAwait(false))
            {
                operations = planner.Plan(undo); // a before-hook may have changed what is written
            }
            EntityValidator.ThrowIfInvalid(operations);
        }
        catch
        {
            undo.Revert();
            throw;
        }

        if (operations.Count == 0 && Transaction is null)
        {
            return; // nothing to do: nothing is sent
        }

        using var activity = runtime.Telemetry.StartCommit();
        DbConnection? connection = null;
        DbTransaction? transaction = null;
        var committing = false;
        try
        {
            connection = await AcquireAsync(async, cancellationToken).ConfigureAwait(false);
            transaction = await BeginAsync(async, connection, cancellationToken).ConfigureAwait(false);
            var writer = new CommitWriter(executor, runtime.Provider.Dialect, connection, transaction, planner, undo);
            await writer.WriteAsync(async, operations, cancellationToken).ConfigureAwait(false);

            // Once sent, COMMIT runs to its end: cancelling it would only make its outcome unknown.
            committing = true;
            if (async)
            {
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                transaction.Commit();
            }
        }
        catch (Exception e) when (committing && executor.Retries.Kind(e) == DatabaseErrorKind.ConnectionLost)
        {
            // The failure is known by the phase it happened in: the server may have committed before the connection broke.
            Transaction = null; // the commit's own: ended with the connection, not a transaction the unit of work lost
            await DiscardAsync(async, connection!).ConfigureAwait(false);
            await ResolveUnknownOutcomeAsync(async, e, undo, activity, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Some engines undo only the failing statement and keep the transaction open: never let it commit.
            if (transaction is not null)
            {
                await RollBackQuietlyAsync(async, transaction).ConfigureAwait(false);
            }

            undo.Revert();
            if (connection is not null && executor.Retries.Kind(e) == DatabaseErrorKind.ConnectionLost)
            {
                Transaction = null;
                await DiscardAsync(async, connection).ConfigureAwait(false);
            }

            RolledBack(e, activity);
            if (committing && e is DbException refused)
            {
                throw new DatabaseCommandException("Commit", null, "COMMIT", refused.Message, refused, executor.Retries.Kind(refused));
            }

            throw;
        }
        finally
        {
            Transaction = null;
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }
        }

        Tracker.AcceptChanges(operations);
        Committed(operations, activity);
        await _hooks.RunAsync(operations, before: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// After the connection broke during COMMIT: returns if the unit of work's check (<see cref="VerifyCommitWith"/>) finds
    /// the changes saved; otherwise restores the tracked objects and throws, a retryable error when the check found them
    /// not saved, a <see cref="CommitOutcomeUnknownException"/> when there is no check or it failed.
    /// </summary>
    private async ValueTask ResolveUnknownOutcomeAsync(bool async, Exception error, UndoLog undo, Activity? activity, CancellationToken cancellationToken)
    {
        activity?.SetStatus(ActivityStatusCode.Error, "Commit outcome unknown");
        activity?.SetTag("error.type", error.GetType().FullName);
        if (_verifyCommit is null)
        {
            undo.Revert();
            Log.CommitOutcomeUnknown(logger, "no VerifyCommitWith check, so not retried", error.Message);
            throw new CommitOutcomeUnknownException(
                "The connection was lost while COMMIT was in flight: the changes may or may not have been saved, so the commit was not retried. Reload to find out, or give the unit of work a check with VerifyCommitWith to have Premix retry only a commit that did not land.",
                error);
        }

        bool committed;
        try
        {
            var check = new UnitOfWork(runtime, executor, logger, isolationLevel, services);
            await using (check.ConfigureAwait(false))
            {
                var verification = _verifyCommit(check, cancellationToken);
                committed = async ? await verification.ConfigureAwait(false) : verification.GetAwaiter().GetResult();
            }
        }
        catch (Exception checkError)
        {
            undo.Revert();
            Log.CommitOutcomeUnknown(logger, "the VerifyCommitWith check failed", error.Message);
            throw new CommitOutcomeUnknownException(
                "The connection was lost while COMMIT was in flight, and the VerifyCommitWith check failed too: the changes may or may not have been saved. Reload to find out.",
                new AggregateException(error, checkError));
        }

        Log.CommitOutcomeUnknown(logger, committed ? "the check found the changes saved" : "the check found the changes not saved, so the commit may be retried", error.Message);
        if (!committed)
        {
            undo.Revert();
            throw new DatabaseCommandException("Commit", null, "COMMIT", "the connection was lost during COMMIT and the VerifyCommitWith check found the changes not saved.", error, DatabaseErrorKind.ConnectionLost);
        }
    }

    private void Committed(List<WriteOperation> operations, Activity? activity)
    {
        int inserted = 0, updated = 0, deleted = 0;
        foreach (var operation in operations)
        {
            switch (operation.Kind)
            {
                case WriteKind.Insert:
                    inserted++;
                    break;
                case WriteKind.Update:
                    updated++;
                    break;
                default:
                    deleted++; // soft deletes too: to the application they are deletes
                    break;
            }
        }

        Log.Committed(logger, inserted, updated, deleted);
        Telemetry.Count(Telemetry.Commits, runtime.Telemetry);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("premix.commit.inserted", inserted);
            activity.SetTag("premix.commit.updated", updated);
            activity.SetTag("premix.commit.deleted", deleted);
        }
    }

    private void RolledBack(Exception error, Activity? activity)
    {
        Telemetry.Count(Telemetry.Rollbacks, runtime.Telemetry);
        if (error is ConcurrencyException conflict)
        {
            Telemetry.Count(Telemetry.Conflicts, runtime.Telemetry);
            Log.ConcurrencyConflict(logger, conflict.EntityType.Name, conflict.Message);
        }

        Log.RolledBack(logger, error.GetType().Name);
        activity?.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
        activity?.SetTag("error.type", error.GetType().FullName);
    }

    /// <summary>
    /// Runs a bulk UPDATE or DELETE in the unit of work's transaction, then refreshes the tracked entities of its type
    /// from the database, so a later commit never overwrites what the statement did with stale values.
    /// </summary>
    internal async Task<int> ExecuteBulkAsync(EntityPlan plan, Command command, CancellationToken cancellationToken)
    {
        var tracked = Tracker.Entries.Where(e => e.Plan == plan && e.State != EntityState.Added).ToList();
        if (tracked.Any(e => e.State != EntityState.Unchanged || plan.ChangedMask(e.Entity, e.Snapshot!) != 0))
        {
            throw new InvalidOperationException(
                $"This unit of work has unsaved changes to {plan.Entity.Name} entities; a bulk statement on {plan.Entity.Name} could conflict with them. Commit them first, or run the bulk statement in another unit of work.");
        }

        var connection = await AcquireAsync(true, cancellationToken).ConfigureAwait(false);
        var transaction = await WriteTransactionAsync(true, cancellationToken).ConfigureAwait(false);
        var rows = await executor.ExecuteAsync(true, connection, transaction, command, cancellationToken).ConfigureAwait(false);
        await RefreshAsync(plan, tracked, connection, transaction, cancellationToken).ConfigureAwait(false);
        return rows;
    }

    // Re-reads tracked entities: with one IN statement per 2000 keys for a single-column key, by key otherwise. A row that
    // is gone (or now soft-deleted) is forgotten.
    private async Task RefreshAsync(EntityPlan plan, List<EntityEntry> tracked, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (tracked.Count == 0)
        {
            return;
        }

        var fresh = new Dictionary<EntityKey, object>();
        if (plan.KeyParameters is [var key])
        {
            var rows = await KeyListReader.ReadAsync("Refresh", this, plan, key, tracked.ConvertAll(e => key.ReadRaw(e.Entity)!), cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                fresh[plan.KeyOf(row)] = row;
            }
        }
        else
        {
            foreach (var entry in tracked)
            {
                var reload = new Command("Refresh", plan.Entity.Name, plan.SelectByKey.Sql, EntityParameters.ForKey(plan.SelectByKey, ((CompositeKey)plan.KeyOf(entry.Entity).Value).Values.ToArray()));
                foreach (var row in await executor.ReadEntitiesAsync<object>(true, connection, transaction, reload, plan.ReadRow, 1, cancellationToken).ConfigureAwait(false))
                {
                    fresh[plan.KeyOf(row)] = row;
                }
            }
        }

        foreach (var entry in tracked)
        {
            if (fresh.TryGetValue(plan.KeyOf(entry.Entity), out var row))
            {
                plan.Assign(row, entry.Entity);
                entry.Snapshot = plan.Copy(entry.Entity);
            }
            else
            {
                Tracker.Detach(entry);
            }
        }
    }

    // Begins the commit's transaction; a driver error (a busy SQLite database, a dead pooled connection) is reported as a
    // failed BEGIN, with what it means for trying again.
    private async ValueTask<DbTransaction> BeginAsync(bool async, DbConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            return await BeginTransactionAsync(async, connection, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DatabaseCommandException("Begin", null, "BEGIN", e.Message, e, executor.Retries.Kind(e));
        }
    }

    /// <summary>The transaction writes run in: the one a raw statement already started, or a new one.</summary>
    private async ValueTask<DbTransaction> BeginTransactionAsync(bool async, DbConnection connection, CancellationToken cancellationToken) =>
        Transaction ??= async
            ? await connection.BeginTransactionAsync(isolationLevel, cancellationToken).ConfigureAwait(false)
            : connection.BeginTransaction(isolationLevel);

    /// <summary>Raw statements that write run in the unit of work's transaction, started on first use and ended by the commit.</summary>
    public async ValueTask<DbTransaction?> WriteTransactionAsync(bool async, CancellationToken cancellationToken)
    {
        var connection = await AcquireAsync(async, cancellationToken).ConfigureAwait(false);
        return await BeginTransactionAsync(async, connection, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask RollBackQuietlyAsync(bool async, DbTransaction transaction)
    {
        try
        {
            if (async)
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                transaction.Rollback();
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // The connection is broken or the server already ended the transaction: either way nothing was committed.
        }
    }

    public async ValueTask<DbConnection> AcquireAsync(bool async, CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        _connection ??= runtime.Provider.CreateConnection();
        if (_connection.State != ConnectionState.Open)
        {
            await ConnectionOpener.OpenAsync(async, _connection, runtime.Provider, cancellationToken).ConfigureAwait(false);
            if (!_connectionCounted)
            {
                _connectionCounted = true;
                Telemetry.ConnectionHeld(runtime.Telemetry, +1);
            }
        }

        return _connection;
    }

    public bool CanRetryReads => Transaction is null;

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_transactionLost)
        {
            throw new InvalidOperationException(
                "This unit of work lost its connection while its transaction was open: the statements it ran in that transaction were rolled back by the database. Start a new unit of work.");
        }
    }

    public async ValueTask DiscardAsync(bool async, DbConnection connection)
    {
        if (!ReferenceEquals(connection, _connection))
        {
            return;
        }

        _connection = null;
        ConnectionReleased();
        // A transaction begun before (raw writes) ended with the connection: its statements are gone, so the unit of
        // work refuses to go on rather than carry on without them.
        _transactionLost = Transaction is not null;
        Transaction = null;
        if (async)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            connection.Dispose();
        }
    }

    /// <summary>The connection, when it is already open (the common case after the first statement), without an await.</summary>
    public bool TryGetOpenConnection(out DbConnection connection)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        connection = _connection!;
        return _connection?.State == ConnectionState.Open;
    }

    // The unit of work keeps its connection for the whole scope.
    public ValueTask ReleaseAsync(bool async, DbConnection connection) => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Tracker.Clear();
        if (Transaction is not null)
        {
            await RollBackQuietlyAsync(true, Transaction).ConfigureAwait(false);
            await Transaction.DisposeAsync().ConfigureAwait(false);
            Transaction = null;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        ConnectionReleased();
    }

    private void ConnectionReleased()
    {
        if (_connectionCounted)
        {
            _connectionCounted = false;
            Telemetry.ConnectionHeld(runtime.Telemetry, -1);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Tracker.Clear();
        if (Transaction is not null)
        {
            RollBackQuietlyAsync(false, Transaction).GetAwaiter().GetResult();
            Transaction.Dispose();
            Transaction = null;
        }

        _connection?.Dispose();
        ConnectionReleased();
    }
}
