using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Net.Sockets;
using Premix.Diagnostics;
using Premix.Execution;
using Premix.Providers;

namespace Premix.Tracking;

/// <summary>
/// The commit: plan, hooks and validation, the writes in one transaction, COMMIT, and what happens when any of it fails
/// (roll back and restore the objects, run again after a transient failure, resolve a COMMIT whose answer was lost).
/// </summary>
internal sealed partial class UnitOfWork
{
    public Task CommitAsync(CancellationToken cancellationToken = default) => CommitAsync(true, cancellationToken).AsTask();

    public void Commit() => CommitAsync(false, CancellationToken.None).GetAwaiter().GetResult();

    public void VerifyCommitWith(Func<IUnitOfWork, CancellationToken, Task<bool>> wasCommitted)
    {
        ArgumentNullException.ThrowIfNull(wasCommitted);
        ThrowIfDisposed();
        if (runtime.Provider is { ReachesSeveralServers: true, CausalReadsSql: not null, CausalReadsRefusal: { } reason })
        {
            // The check may read on another node than the COMMIT, which may not have applied it yet: it would find the
            // changes missing, and the commit would run twice.
            throw new InvalidOperationException(reason);
        }

        _verifyCommit = wasCommitted;
    }

    /// <summary>
    /// Commits, and runs the whole commit again from the tracked objects after a transient failure (each failed attempt
    /// rolled back and restored them), as the resilience options allow.
    /// </summary>
    private async ValueTask CommitAsync(bool async, CancellationToken cancellationToken)
    {
        using var usage = Enter(runsSql: true);
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
        BatchBudget? budget = null;
        try
        {
            operations = planner.Plan(undo);
            if (await RunHooksAsync(operations, before: true, cancellationToken).ConfigureAwait(false))
            {
                operations = planner.Plan(undo); // a before-hook may have changed what is written
            }
            ValueRounding.Apply(operations, undo);
            TenantStamp.Apply(operations, executor.ColumnTenant, runtime.Provider.Dialect.UpsertMeetsAnyUniqueKey, undo);
            var failures = EntityValidator.Failures(operations);
            if (executor.StatementSizes is { } sizes && operations.Count > 0)
            {
                (budget, failures) = await CommitSizeCheck.CheckAsync(async, sizes, operations, this, failures, cancellationToken).ConfigureAwait(false);
            }

            if (failures is not null)
            {
                throw new ValidationException(failures); // every failure of the commit at once: its values' and its statements' sizes
            }
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

        using var activity = executor.Telemetry.StartCommit();
        var alone = SendsAlone(operations);
        DbConnection? connection = null;
        DbTransaction? transaction = null;
        var committing = false;
        var outcomeUnknownOnLoss = false; // a lost connection may have saved the changes, or not
        try
        {
            connection = await AcquireAsync(async, causalReads: false, cancellationToken).ConfigureAwait(false);
            if (alone == StatementAlone.No)
            {
                transaction = await BeginAsync(async, connection, cancellationToken).ConfigureAwait(false);
            }

            outcomeUnknownOnLoss = alone == StatementAlone.OutcomeUnknownOnLoss;
            var writer = new CommitWriter(executor, runtime.Provider.Dialect, connection, transaction, planner, undo, budget, runtime.BulkInsertThreshold);

            // A statement sent alone commits itself: like COMMIT, once sent it runs to its end, since cancelling it (or a
            // cancel that breaks the connection) could leave it saved and the objects told otherwise.
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteAsync(async, operations, transaction is null ? CancellationToken.None : cancellationToken).ConfigureAwait(false);
            if (transaction is not null)
            {
                // Once sent, COMMIT runs to its end: cancelling it would only make its outcome unknown.
                committing = outcomeUnknownOnLoss = true;
                await CommitTransactionAsync(async, transaction).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (outcomeUnknownOnLoss && executor.Retries.Kind(e) == DatabaseErrorKind.ConnectionLost)
        {
            // The failure is known by the phase it happened in: the server may have committed before the connection broke.
            Transaction = null; // the commit's own: ended with the connection, not a transaction the unit of work lost
            await DiscardAsync(async, connection!).ConfigureAwait(false);
            await ResolveUnknownOutcomeAsync(async, e, transaction is null ? "the commit's only statement" : "COMMIT", undo, activity, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Some engines undo only the failing statement and keep the transaction open: never let it commit.
            var rollbackError = transaction is null ? null : await TryRollBackAsync(async, transaction).ConfigureAwait(false);
            undo.Revert();
            var kind = executor.Retries.Kind(e);

            // A connection the failure broke (or the rollback found broken) is not used again, nor reopened: the next
            // statement of the unit of work, or the next unit of work, gets another one.
            if (connection is not null && (kind == DatabaseErrorKind.ConnectionLost || rollbackError is not null || connection.State != ConnectionState.Open))
            {
                Transaction = null;
                await DiscardAsync(async, connection).ConfigureAwait(false);
            }

            RolledBack(e, rollbackError, activity);

            // The first error is the one reported; a failed rollback rides along with it, never in its place.
            var error = committing && e is DbException refused ? TransactionStatementFailed("Commit", "COMMIT", refused, kind) : e;
            if (error is DatabaseCommandException failed)
            {
                failed.RollbackError = rollbackError;
            }

            if (ReferenceEquals(error, e))
            {
                throw;
            }

            throw error;
        }
        finally
        {
            Transaction = null;
            if (transaction is not null && _ambient is null) // a test scope's transaction is the scope's to end
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }

            if (connection is not null)
            {
                await ReleaseAsync(async, connection).ConfigureAwait(false); // the transaction is over: back to the pool
            }
        }

        Tracker.AcceptChanges(operations);
        Committed(operations, activity);
        await RunHooksAsync(operations, before: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// After the connection broke during COMMIT (or the only statement of a commit sent without a transaction): returns if the unit of work's check (<see cref="VerifyCommitWith"/>) finds
    /// the changes saved; otherwise restores the tracked objects and throws, a retryable error when the check found them
    /// not saved, a <see cref="CommitOutcomeUnknownException"/> when there is no check or it failed.
    /// </summary>
    private async ValueTask ResolveUnknownOutcomeAsync(bool async, Exception error, string inFlight, UndoLog undo, Activity? activity, CancellationToken cancellationToken)
    {
        activity?.SetTag("premix.commit.outcome_unknown", true);
        activity?.SetTag("error.type", error.GetType().FullName);
        if (_verifyCommit is null)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "Commit outcome unknown");
            undo.Revert();
            Log.CommitOutcomeUnknown(logger, "no VerifyCommitWith check, so not retried", error.Message);
            throw new CommitOutcomeUnknownException(
                $"The connection was lost while {inFlight} was in flight: the changes may or may not have been saved, so the commit was not retried. Reload to find out, or give the unit of work a check with VerifyCommitWith to have Premix retry only a commit that did not land.",
                error);
        }

        bool committed;
        try
        {
            // The check looks for a commit a replica may not have replayed yet: its reads go to the primary.
            var check = new UnitOfWork(runtime, executor, logger, isolationLevel, services) { _readsOnPrimary = true };
            await using (check.ConfigureAwait(false))
            {
                // On a cluster the check may read on a node that has not applied the COMMIT yet (or the COMMIT's node is
                // gone): it waits for its node to catch up, or it would find a commit that landed not saved and replay it.
                if (runtime.Provider is { CausalReadsSql: not null, CausalReadsRefusal: null })
                {
                    check.UseCausalReads();
                }

                var verification = _verifyCommit(check, cancellationToken);
                committed = async ? await verification.ConfigureAwait(false) : verification.GetAwaiter().GetResult();
            }
        }
        catch (Exception checkError)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "Commit outcome unknown");
            undo.Revert();
            Log.CommitOutcomeUnknown(logger, "the VerifyCommitWith check failed", error.Message);
            throw new CommitOutcomeUnknownException(
                $"The connection was lost while {inFlight} was in flight, and the VerifyCommitWith check failed too: the changes may or may not have been saved. Reload to find out.",
                new AggregateException(error, checkError));
        }

        Log.CommitOutcomeUnknown(logger, committed ? "the check found the changes saved" : "the check found the changes not saved, so the commit may be retried", error.Message);
        if (!committed)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "Commit not saved");
            undo.Revert();
            throw new DatabaseCommandException("Commit", null, "COMMIT", $"the connection was lost during {inFlight} and the VerifyCommitWith check found the changes not saved.", error, DatabaseErrorKind.ConnectionLost);
        }
    }

    /// <summary>
    /// Whether the commit's writes go without BEGIN and COMMIT around them. One statement is atomic on its own, so a commit
    /// that sends just one can save the round trips of both, as EF Core does. But in a transaction, a connection lost
    /// before COMMIT is known to have saved nothing, and the commit is safely run again; alone, the statement may have
    /// landed with its answer lost. So it goes alone only where that cannot leave anything wrong: an update without a
    /// version column when commits are retried (running it twice changes nothing), or a write whose answer carries
    /// nothing the objects need (no generated key, no version) when <see cref="VerifyCommitWith"/> can tell whether it
    /// landed. An insert that reads back its generated key keeps its transaction: a lost answer would lose the key, and a
    /// replay would insert the row twice.
    /// </summary>
    private StatementAlone SendsAlone(List<WriteOperation> operations)
    {
        // With read replicas, COMMIT carries the read of the primary's position, so the writes keep their transaction.
        if (_ambient is not null || Transaction is not null || isolationLevel != IsolationLevel.Unspecified || (!executor.Retries.RetriesCommits && _verifyCommit is null) || executor.Replicas is not null
            || !CommitWriter.SendsOneStatement(operations))
        {
            return StatementAlone.No;
        }

        var first = operations[0];
        var plan = first.Entry.Plan;
        if (first.Kind == WriteKind.Update && plan.SetVersion is null && executor.Retries.RetriesCommits)
        {
            return StatementAlone.Replayable;
        }

        var answerNeeded = plan.SetVersion is not null || first.Kind == WriteKind.Upsert || (first.Kind == WriteKind.Insert && plan.SetGeneratedKey is not null);
        return _verifyCommit is not null && !answerNeeded ? StatementAlone.OutcomeUnknownOnLoss : StatementAlone.No;
    }

    /// <summary>How a commit's writes are sent: in a transaction, or as one statement without one (see <see cref="SendsAlone"/>).</summary>
    private enum StatementAlone
    {
        /// <summary>In a transaction.</summary>
        No,

        /// <summary>Alone; a lost connection is retried like any failure before COMMIT, since running it again changes nothing.</summary>
        Replayable,

        /// <summary>Alone; a lost connection leaves the outcome unknown, as a lost COMMIT does.</summary>
        OutcomeUnknownOnLoss,
    }

    private ValueTask CommitTransactionAsync(bool async, DbTransaction transaction)
    {
        if (_ambient is not null)
        {
            return _ambient.CommitAsync(async); // RELEASE SAVEPOINT in a test scope
        }

        if (executor.Replicas is { } replicas)
        {
            return CommitReadingPositionAsync(async, transaction, replicas);
        }

        if (async)
        {
            return new ValueTask(transaction.CommitAsync(CancellationToken.None));
        }

        transaction.Commit();
        return ValueTask.CompletedTask;
    }

    private void Committed(List<WriteOperation> operations, Activity? activity)
    {
        int inserted = 0, updated = 0, deleted = 0;
        foreach (var operation in operations)
        {
            switch (operation.Kind)
            {
                case WriteKind.Insert or WriteKind.Upsert:
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
        Telemetry.Count(Telemetry.Commits, executor.Telemetry);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("premix.commit.inserted", inserted);
            activity.SetTag("premix.commit.updated", updated);
            activity.SetTag("premix.commit.deleted", deleted);
        }
    }

    private void RolledBack(Exception error, Exception? rollbackError, Activity? activity)
    {
        Telemetry.Count(Telemetry.Rollbacks, executor.Telemetry);
        if (rollbackError is not null)
        {
            Log.RollbackFailed(logger, $"after a failed commit ({error.GetType().Name}, the error thrown)", rollbackError.GetType().Name, rollbackError.Message);
        }

        if (error is ConcurrencyException conflict)
        {
            Telemetry.Count(Telemetry.Conflicts, executor.Telemetry);
            Log.ConcurrencyConflict(logger, conflict.EntityType.Name, conflict.Message);
        }

        Log.RolledBack(logger, error.GetType().Name);
        activity?.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
        activity?.SetTag("error.type", error.GetType().FullName);
    }

    // Begins the commit's transaction; a driver or socket error (a busy SQLite database, a dead pooled connection) is
    // reported as a failed BEGIN, with what it means for trying again.
    private async ValueTask<DbTransaction> BeginAsync(bool async, DbConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            return await BeginTransactionAsync(async, connection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or IOException or SocketException && !cancellationToken.IsCancellationRequested)
        {
            throw TransactionStatementFailed("Begin", "BEGIN", e, executor.Retries.Kind(e));
        }
    }

    // BEGIN and COMMIT are no plan statements, so the driver's error is wrapped here, with what it means for trying again
    // (a COMMIT refused by a deferred foreign key comes out as a ForeignKeyViolationException).
    private DatabaseCommandException TransactionStatementFailed(string operation, string sql, Exception error, DatabaseErrorKind kind) =>
        executor.Wrap(operation, null, sql, error, kind);

    /// <summary>
    /// Rolls <paramref name="transaction"/> back after a failure, or when the unit of work is disposed. Its own failure (the
    /// connection the first error broke, a transaction the server already ended) is returned, never thrown: it must not
    /// replace the error that brought us here, and either way nothing of the transaction was committed.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Whatever the rollback throws is reported beside the first error, never instead of it.")]
    private async ValueTask<Exception?> TryRollBackAsync(bool async, DbTransaction transaction)
    {
        try
        {
            if (_ambient is not null)
            {
                await _ambient.RollBackAsync(async).ConfigureAwait(false); // ROLLBACK TO SAVEPOINT in a test scope
            }
            else if (async)
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                transaction.Rollback();
            }

            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
