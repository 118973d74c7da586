using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Premix.Execution;

namespace Premix.Migrations;

/// <summary>
/// Runs versioned migrations on one connection it owns: takes the engine's lock, creates and reads the history table
/// under it, checks every applied file's checksum before running anything, then runs each migration in its own
/// transaction where the engine has transactional DDL.
/// </summary>
internal sealed partial class MigrationRunner
{
    private readonly IPremix _premix;
    private readonly IMigrationDialect _dialect;
    private readonly MigrationOptions _options;
    private readonly ILogger _logger;

    public MigrationRunner(IPremix premix, MigrationOptions? options)
    {
        ArgumentNullException.ThrowIfNull(premix);
        _premix = premix;
        _dialect = premix.Provider.SchemaSupport()?.Migrations
            ?? throw new NotSupportedException(
                $"The database provider '{premix.Provider.Name}' ({premix.Provider.GetType().Name}) does not support versioned migrations: "
                + $"it neither implements {nameof(ISchemaProvider)} nor serves it through {nameof(IServiceProvider)}. Use the SQLite, PostgreSQL or MySQL provider of Premix, or implement it.");
        _options = options ?? new MigrationOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(_options.HistoryTable, nameof(options));
        _logger = _options.Logger ?? NullLogger.Instance;
    }

    private SqlExecutor Executor => SchemaExecution.Of(_premix);

    public async Task<IReadOnlyList<MigrationFile>> UpAsync(MigrationSource source, long? to, CancellationToken cancellationToken)
    {
        var files = source.Load();
        if (to is { } target && files.All(f => f.Version != target))
        {
            throw new MigrationException($"No migration file in {source} has version {target}; pass the version of an existing file (its 14-digit timestamp).");
        }

        return await LockedAsync(
            async history =>
            {
                var rows = await history.ReadAsync(cancellationToken).ConfigureAwait(false);
                CheckHistory(files, rows);
                var applied = rows.Select(r => r.Version).ToHashSet();
                var latest = rows.Count == 0 ? (long?)null : rows.Max(r => r.Version);
                var pending = files.Where(f => !applied.Contains(f.Version)).ToList();
                var late = pending.Where(f => f.Version < latest).ToList();
                if (late.Count > 0)
                {
                    throw new MigrationException(
                        $"Migration file(s) {Names(late)} are older than the latest applied migration {latest}, so they would run out of order; "
                            + "rename them with a newer timestamp. Nothing was run.",
                        late.Count == 1 ? late[0].FileName : null);
                }

                var toRun = pending.Where(f => to is null || f.Version <= to).ToList();
                var ran = new List<MigrationFile>(toRun.Count);
                for (var i = 0; i < toRun.Count; i++)
                {
                    try
                    {
                        if (await RunAsync(history, files, toRun[i], MigrationDirection.Up, i + 1, toRun.Count, cancellationToken).ConfigureAwait(false))
                        {
                            ran.Add(toRun[i]);
                        }
                    }
                    catch (MigrationException e) when (rows.Count == 0 && i == 0 && e.InnerException is DbException or DatabaseCommandException)
                    {
                        // The classic first run on a database whose tables exist already (built by schema sync or by hand).
                        throw new MigrationException(
                            $"{e.Message} If this database got its schema before it used migrations (by schema sync or by hand), {_options.Advice.Baseline(files[^1].Version)}.",
                            e.FileName,
                            e.InnerException);
                    }
                }

                return (IReadOnlyList<MigrationFile>)ran;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MigrationFile>> DownAsync(MigrationSource source, int steps, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        var files = source.Load();
        return await LockedAsync(
            async history =>
            {
                var rows = await history.ReadAsync(cancellationToken).ConfigureAwait(false);
                CheckHistory(files, rows);
                var byVersion = files.ToDictionary(f => f.Version);
                var toRevert = new List<MigrationFile>();
                foreach (var row in rows.OrderByDescending(r => r.Version).Take(steps))
                {
                    if (!byVersion.TryGetValue(row.Version, out var file))
                    {
                        throw new MigrationException(
                            $"Applied migration {row.Version}_{row.Name}.sql is not in {source}, so its Down section cannot run; restore the file. Nothing was reverted.",
                            $"{row.Version}_{row.Name}.sql");
                    }

                    if (file.Down is null)
                    {
                        throw new MigrationException(
                            $"Migration {file.FileName} has no Down section (or an empty one), so it cannot be reverted; revert by hand or write a new migration. Nothing was reverted.",
                            file.FileName);
                    }

                    toRevert.Add(file);
                }

                var reverted = new List<MigrationFile>(toRevert.Count);
                for (var i = 0; i < toRevert.Count; i++)
                {
                    if (await RunAsync(history, files, toRevert[i], MigrationDirection.Down, i + 1, toRevert.Count, cancellationToken).ConfigureAwait(false))
                    {
                        reverted.Add(toRevert[i]);
                    }
                }

                return (IReadOnlyList<MigrationFile>)reverted;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MigrationState>> StatusAsync(MigrationSource source, CancellationToken cancellationToken)
    {
        var files = source.Load();
        var connection = _premix.Provider.CreateConnection();
        await using (connection.ConfigureAwait(false))
        {
            await ConnectionOpener.OpenAsync(true, connection, _premix.Provider, cancellationToken).ConfigureAwait(false);
            var history = new MigrationHistory(connection, _dialect, _premix, _options.HistoryTable);
            var rows = await WrapAsync(
                async () => await history.ExistsAsync(cancellationToken).ConfigureAwait(false) ? await history.ReadAsync(cancellationToken).ConfigureAwait(false) : [],
                "Reading the history table",
                cancellationToken).ConfigureAwait(false);
            var byVersion = rows.ToDictionary(r => r.Version);
            var states = new List<MigrationState>();
            foreach (var file in files)
            {
                if (!byVersion.Remove(file.Version, out var row))
                {
                    states.Add(new MigrationState(file.Version, file.Name, file, MigrationStatus.Pending, null, null));
                    continue;
                }

                var status = !row.Success ? MigrationStatus.Failed
                    : row.Checksum != file.Checksum ? MigrationStatus.ChecksumChanged
                    : MigrationStatus.Applied;
                states.Add(new MigrationState(file.Version, file.Name, file, status, row.AppliedAt, TimeSpan.FromMilliseconds(row.DurationMs)));
            }

            foreach (var row in byVersion.Values)
            {
                states.Add(new MigrationState(row.Version, row.Name, null, row.Success ? MigrationStatus.FileMissing : MigrationStatus.Failed, row.AppliedAt, TimeSpan.FromMilliseconds(row.DurationMs)));
            }

            states.Sort((a, b) => a.Version.CompareTo(b.Version));
            return states;
        }
    }

    public async Task RepairAsync(MigrationSource source, long version, MigrationRepair repair, CancellationToken cancellationToken)
    {
        var file = source.Load().FirstOrDefault(f => f.Version == version);
        await LockedAsync(
            history => InLockedTransactionAsync(history, rows => RepairAsync(history, rows, source, file, version, repair, cancellationToken), cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> RepairAsync(MigrationHistory history, List<HistoryRow>? rowsUnderLock, MigrationSource source, MigrationFile? file, long version, MigrationRepair repair, CancellationToken cancellationToken)
    {
        var row = (rowsUnderLock ?? await history.ReadAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.Version == version);
        if (row is null || row.Success)
        {
            throw new MigrationException(
                $"Migration {version} is {(row is null ? "not in the history table" : "applied, not failed")}, so there is nothing to repair; "
                + $"repair only a migration that {_options.Advice.Status} reports as Failed.");
        }

        if (repair == MigrationRepair.Forget)
        {
            await history.DeleteAsync(version, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            if (file is null)
            {
                throw new MigrationException($"Migration {version} has no file in {source}, so it cannot be marked applied with the file's checksum; restore the file.");
            }

            await history.MarkAppliedAsync(version, file.Checksum, cancellationToken).ConfigureAwait(false);
        }

        MigrationLog.Repaired(_logger, version, repair);
        return true;
    }

    public async Task<IReadOnlyList<MigrationFile>> BaselineAsync(MigrationSource source, long version, CancellationToken cancellationToken)
    {
        var files = source.Load();
        if (files.All(f => f.Version != version))
        {
            throw new MigrationException($"No migration file in {source} has version {version}; pass the version of the last migration whose changes the database already has.");
        }

        return await LockedAsync(
            async history =>
            {
                var rows = await history.ReadAsync(cancellationToken).ConfigureAwait(false);
                CheckBaselineAllowed(history, rows, version);
                var baseline = files.Where(f => f.Version <= version).ToList();
                await RecordAllAsync(history, rows, baseline, version, cancellationToken).ConfigureAwait(false);
                MigrationLog.Baselined(_logger, baseline.Count, version);
                return (IReadOnlyList<MigrationFile>)baseline;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A baseline adopts only a database without applied migrations; failed records after its version need a repair first.</summary>
    private void CheckBaselineAllowed(MigrationHistory history, List<HistoryRow> rows, long version)
    {
        var applied = rows.Where(r => r.Success).ToList();
        if (applied.Count > 0)
        {
            throw new MigrationException(
                $"The history table {history.TableName} already records {applied.Count} migration(s), the latest {applied.Max(r => r.Version)}: this database already uses migrations, "
                + "and a baseline only adopts a database that has none applied. Nothing was recorded.");
        }

        // A first run that failed on the existing tables (recorded where DDL is not transactional) is what the baseline settles.
        if (rows.FirstOrDefault(r => r.Version > version) is { } later)
        {
            throw new MigrationException(
                $"Migration {later.Version}_{later.Name}.sql, after the baseline version, is recorded as failed; fix the database by hand and {_options.Advice.Repair(later.Version)} first. Nothing was recorded.");
        }
    }

    /// <summary>
    /// Replaces the failed records by every file recorded as applied, all or none: in one transaction, or without
    /// transactional DDL by undoing what was recorded.
    /// </summary>
    private async Task RecordAllAsync(MigrationHistory history, List<HistoryRow> failed, List<MigrationFile> files, long version, CancellationToken cancellationToken)
    {
        var transactional = _dialect.TransactionalDdl;
        var recorded = new List<MigrationFile>();
        try
        {
            if (transactional && _dialect.LocksInTransaction)
            {
                // What another migrator recorded since the history was read counts: checked again under the lock.
                failed = await BeginLockedAsync(history, readHistory: true, cancellationToken).ConfigureAwait(false);
                CheckBaselineAllowed(history, failed, version);
            }
            else if (transactional)
            {
                await history.ExecuteAsync(_dialect.BeginMigration!, cancellationToken).ConfigureAwait(false);
            }

            foreach (var row in failed)
            {
                await history.DeleteAsync(row.Version, cancellationToken).ConfigureAwait(false);
            }

            foreach (var file in files)
            {
                await history.InsertAsync(file, 0, success: true, cancellationToken).ConfigureAwait(false);
                recorded.Add(file);
            }

            if (transactional)
            {
                await history.ExecuteAsync(_dialect.CommitMigration!, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            await TryAsync(async () =>
            {
                if (transactional)
                {
                    await history.ExecuteAsync(_dialect.RollbackMigration!, CancellationToken.None).ConfigureAwait(false);
                    return;
                }

                foreach (var file in recorded)
                {
                    await history.DeleteAsync(file.Version, CancellationToken.None).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
            if (e is DbException or DatabaseCommandException && !cancellationToken.IsCancellationRequested)
            {
                throw new MigrationException($"Recording the baseline in {history.TableName} failed, and nothing was recorded: {Reason(e)}", null, e);
            }

            throw;
        }
    }

    /// <summary>Refuses to go on when a migration failed earlier or an applied file changed: checked before anything runs.</summary>
    private void CheckHistory(IReadOnlyList<MigrationFile> files, List<HistoryRow> rows)
    {
        var byVersion = files.ToDictionary(f => f.Version);
        var failed = rows.FirstOrDefault(r => !r.Success);
        if (failed is not null)
        {
            var fileName = byVersion.TryGetValue(failed.Version, out var file) ? file.FileName : $"{failed.Version}_{failed.Name}.sql";
            throw new MigrationException(
                $"Migration {fileName} failed on {failed.AppliedAt.ToString("u", CultureInfo.InvariantCulture)} and may have left the database half-migrated, "
                    + $"so no migration runs until it is repaired. Fix the database by hand, then {_options.Advice.Repair(failed.Version)}. Nothing was run.",
                fileName);
        }

        var changed = rows.Where(r => byVersion.TryGetValue(r.Version, out var file) && file.Checksum != r.Checksum).Select(r => byVersion[r.Version]).ToList();
        if (changed.Count > 0)
        {
            throw new MigrationException(
                $"Applied migration file(s) {Names(changed)} changed since they were applied (their checksums differ from the history table's). "
                    + "Restore them as they were and put new changes into a new migration. Nothing was run.",
                changed.Count == 1 ? changed[0].FileName : null);
        }
    }

    /// <summary>Runs one migration; false when, seen under the lock, another migrator had already applied (or reverted) it.</summary>
    private async Task<bool> RunAsync(MigrationHistory history, IReadOnlyList<MigrationFile> files, MigrationFile file, MigrationDirection direction, int index, int count, CancellationToken cancellationToken)
    {
        var transactional = _dialect.TransactionalDdl;
        var up = direction == MigrationDirection.Up;
        if (transactional && _dialect.LocksInTransaction)
        {
            var rows = await BeginLockedAsync(history, readHistory: true, cancellationToken).ConfigureAwait(false);
            if (!await StillToRunAsync(history, files, rows, file, up, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }
        else if (transactional)
        {
            await WrapAsync(() => history.ExecuteAsync(_dialect.BeginMigration!, cancellationToken), "Starting the migration's transaction", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await WrapAsync(() => MigrationLock.VerifyHeldAsync(Executor, _dialect, history.Connection, cancellationToken), "Checking the migration lock", cancellationToken).ConfigureAwait(false);

            // Without transactional DDL the history says "failed" while the SQL runs: a migrator that dies halfway
            // leaves a failed record, and the next run refuses to go on until someone has looked.
            await WrapAsync(
                () => up ? history.InsertAsync(file, 0, success: false, cancellationToken) : history.UpdateAsync(file.Version, 0, success: false, cancellationToken),
                "Recording the migration as started",
                cancellationToken).ConfigureAwait(false);
        }

        _options.Progress?.Report(new MigrationProgress(file, direction, MigrationStep.Starting, index, count, TimeSpan.Zero));
        var start = Stopwatch.GetTimestamp();
        var sqlRan = false;
        try
        {
            await history.RunMigrationSqlAsync(up ? file.Up : file.Down!, cancellationToken).ConfigureAwait(false);
            sqlRan = true;
            var durationMs = (long)Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (up)
            {
                await (transactional
                    ? history.InsertAsync(file, durationMs, success: true, cancellationToken)
                    : history.UpdateAsync(file.Version, durationMs, success: true, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                await history.DeleteAsync(file.Version, cancellationToken).ConfigureAwait(false);
            }

            if (transactional)
            {
                await history.ExecuteAsync(_dialect.CommitMigration!, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            if (transactional)
            {
                await TryAsync(() => history.ExecuteAsync(_dialect.RollbackMigration!, CancellationToken.None)).ConfigureAwait(false);
            }
            else if (up)
            {
                await TryAsync(() => history.UpdateAsync(file.Version, (long)elapsed.TotalMilliseconds, success: false, CancellationToken.None)).ConfigureAwait(false);
            }

            var outcome = transactional
                ? "was rolled back: nothing of it was applied and the history table does not record it"
                : $"was recorded as failed: {_premix.Provider.Name} commits DDL as it runs, so the statements before the failing one stay applied";
            MigrationLog.Failed(_logger, file.FileName, elapsed.TotalMilliseconds, outcome, e.Message);
            _options.Progress?.Report(new MigrationProgress(file, direction, MigrationStep.Failed, index, count, elapsed));
            if (e is not (DbException or DatabaseCommandException) || cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            var what = sqlRan ? "Recording it in the history table" : $"Its {(up ? "Up" : "Down")} section";
            var next = transactional
                ? "Fix the file and run the migrations again."
                : $"Fix the database by hand, then {_options.Advice.Repair(file.Version)}, and run the migrations again.";
            throw new MigrationException(
                $"Migration {file.FileName} failed and {outcome}; the run stopped there. {what} failed: {Reason(e)} {next}",
                file.FileName,
                e);
        }

        var done = Stopwatch.GetElapsedTime(start);
        if (up)
        {
            MigrationLog.Applied(_logger, file.Version, file.Name, done.TotalMilliseconds);
        }
        else
        {
            MigrationLog.Reverted(_logger, file.Version, file.Name, done.TotalMilliseconds);
        }

        _options.Progress?.Report(new MigrationProgress(file, direction, MigrationStep.Completed, index, count, done));
        return true;
    }

    private static async Task<T> WrapAsync<T>(Func<Task<T>> action, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or DatabaseCommandException && !cancellationToken.IsCancellationRequested)
        {
            throw new MigrationException($"{what} failed: {Reason(e)}", null, e);
        }
    }

    private static Task WrapAsync(Func<Task> action, string what, CancellationToken cancellationToken) => WrapAsync(
        async () =>
        {
            await action().ConfigureAwait(false);
            return true;
        },
        what,
        cancellationToken);

    private static async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or DatabaseCommandException)
        {
            // Best effort after an error: the error being reported matters more.
        }
        catch (InvalidOperationException)
        {
            // The connection broke; its session, and with it the lock or the transaction, is gone.
        }
    }

    /// <summary>The database's reason for a failure, without the statement (a migration's whole SQL) the executor's message repeats.</summary>
    private static string Reason(Exception error) => error is DatabaseCommandException { InnerException: { } driver } ? driver.Message : error.Message;

    private static string Names(IEnumerable<MigrationFile> files) => string.Join(", ", files.Select(f => f.FileName));
}
