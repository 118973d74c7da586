using System.Diagnostics;
using Premix.Execution;

namespace Premix.Migrations;

/// <summary>
/// The runner's lock: a session's for the whole run (MySQL/MariaDB, SQLite), or a transaction's, taken again in each
/// transaction of the run with the history re-read under it (PostgreSQL: nothing outlives a transaction on the session).
/// </summary>
internal sealed partial class MigrationRunner
{
    /// <summary>
    /// Opens the migrator's connection, takes the lock, creates the history table under it, runs <paramref name="work"/> and
    /// releases the lock. Where the lock lives in transactions, the history table is created in one that takes it, and
    /// <paramref name="work"/> takes it again in each transaction it runs.
    /// </summary>
    private async Task<T> LockedAsync<T>(Func<MigrationHistory, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = _premix.Provider.CreateConnection();
        await using (connection.ConfigureAwait(false))
        {
            await ConnectionOpener.OpenAsync(true, connection, _premix.Provider, cancellationToken).ConfigureAwait(false);
            if (_dialect.LocksInTransaction)
            {
                var locked = new MigrationHistory(connection, _dialect, _premix, _options.HistoryTable);
                await InLockedTransactionAsync(
                    locked,
                    async _ =>
                    {
                        await WrapAsync(() => locked.CreateAsync(cancellationToken), $"Creating the history table {_options.HistoryTable}", cancellationToken).ConfigureAwait(false);
                        return true;
                    },
                    cancellationToken,
                    readHistory: false).ConfigureAwait(false);
                return await work(locked).ConfigureAwait(false);
            }

            var start = Stopwatch.GetTimestamp();
            await WrapAsync(() => MigrationLock.AcquireAsync(Executor, _dialect, connection, _options.LockTimeout, cancellationToken), "Taking the migration lock", cancellationToken).ConfigureAwait(false);
            MigrationLog.LockAcquired(_logger, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            T result;
            try
            {
                var history = new MigrationHistory(connection, _dialect, _premix, _options.HistoryTable);
                await WrapAsync(() => history.CreateAsync(cancellationToken), $"Creating the history table {_options.HistoryTable}", cancellationToken).ConfigureAwait(false);
                result = await work(history).ConfigureAwait(false);
            }
            catch
            {
                // Released even when the run failed or was cancelled; a connection too broken for this has lost the lock with its session.
                await TryAsync(() => MigrationLock.ReleaseAsync(Executor, _dialect, connection)).ConfigureAwait(false);
                throw;
            }

            // On SQLite releasing is the COMMIT of the run: its failure must surface.
            await WrapAsync(() => MigrationLock.ReleaseAsync(Executor, _dialect, connection), "Releasing the migration lock", CancellationToken.None).ConfigureAwait(false);
            return result;
        }
    }

    /// <summary>
    /// Checks, under the lock, the history as it is now: another migrator may have applied (or reverted) this migration,
    /// or recorded a failure, since this run read it. A migration done meanwhile is skipped: its transaction ends here.
    /// </summary>
    private async Task<bool> StillToRunAsync(MigrationHistory history, IReadOnlyList<MigrationFile> files, List<HistoryRow> rows, MigrationFile file, bool up, CancellationToken cancellationToken)
    {
        var recorded = false;
        try
        {
            CheckHistory(files, rows);
            recorded = rows.Any(r => r.Version == file.Version);
            if (recorded != up)
            {
                return true;
            }

            await WrapAsync(() => history.ExecuteAsync(_dialect.CommitMigration!, cancellationToken), "Ending the migration's transaction", cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await TryAsync(() => history.ExecuteAsync(_dialect.RollbackMigration!, CancellationToken.None)).ConfigureAwait(false);
            throw;
        }

        MigrationLog.DoneMeanwhile(_logger, file.Version, file.Name, up ? "applied" : "reverted");
        return false;
    }

    /// <summary>
    /// Begins a transaction and takes the migration lock in it (engines whose lock lives in transactions); returns the
    /// history read under the lock, or an empty list when <paramref name="readHistory"/> is false. Rolls back when the
    /// lock is not taken.
    /// </summary>
    private async Task<List<HistoryRow>> BeginLockedAsync(MigrationHistory history, bool readHistory, CancellationToken cancellationToken)
    {
        await WrapAsync(() => history.ExecuteAsync(_dialect.BeginMigration!, cancellationToken), "Starting the migration's transaction", cancellationToken).ConfigureAwait(false);
        try
        {
            var start = Stopwatch.GetTimestamp();
            await WrapAsync(() => MigrationLock.AcquireAsync(Executor, _dialect, history.Connection, _options.LockTimeout, cancellationToken), "Taking the migration lock", cancellationToken).ConfigureAwait(false);
            MigrationLog.LockAcquired(_logger, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            return readHistory ? await WrapAsync(() => history.ReadAsync(cancellationToken), "Reading the history table", cancellationToken).ConfigureAwait(false) : [];
        }
        catch
        {
            await TryAsync(() => history.ExecuteAsync(_dialect.RollbackMigration!, CancellationToken.None)).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> under the migration lock: where the lock lives in transactions, in a transaction of its
    /// own that takes it (given the history read under it); elsewhere as it is (the session holds the lock already, and
    /// <paramref name="work"/> gets <see langword="null"/>).
    /// </summary>
    private async Task<T> InLockedTransactionAsync<T>(MigrationHistory history, Func<List<HistoryRow>?, Task<T>> work, CancellationToken cancellationToken, bool readHistory = true)
    {
        if (!_dialect.LocksInTransaction)
        {
            return await work(null).ConfigureAwait(false);
        }

        var rows = await BeginLockedAsync(history, readHistory, cancellationToken).ConfigureAwait(false);
        T result;
        try
        {
            result = await work(rows).ConfigureAwait(false);
            await history.ExecuteAsync(_dialect.CommitMigration!, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await TryAsync(() => history.ExecuteAsync(_dialect.RollbackMigration!, CancellationToken.None)).ConfigureAwait(false);
            throw;
        }

        return result;
    }
}
