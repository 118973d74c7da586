using System.Data;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using Premix.Execution;
using Premix.Plans;
using Premix.Querying;
using Premix.Repositories;

namespace Premix.Tracking;

/// <summary>
/// The unit of work: a pooled connection per operation (one held for a transaction), an identity map and change tracker,
/// and the commit that sends every change in one transaction, parents first, checking versions, and restores the objects
/// when anything fails.
/// </summary>
internal sealed partial class UnitOfWork(PremixRuntime runtime, SqlExecutor executor, ILogger logger, IsolationLevel isolationLevel, IServiceProvider? services)
    : IUnitOfWork, ISqlSession
{
    private readonly Dictionary<Type, object> _repositories = [];
    private readonly HookRunner _hooks = new(services);
    // A database that lives only as long as its connections (SQLite in memory) would vanish between operations.
    private readonly bool _keepsConnection = runtime.Provider.DatabaseLivesInConnections;
    private Func<IUnitOfWork, CancellationToken, Task<bool>>? _verifyCommit;
    private bool _transactionLost;
    private bool _disposed;
    private Querying.IncludeLoader? _trackedIncludes;
    private Querying.IncludeLoader? _untrackedIncludes;

    public bool HasPendingChanges
    {
        get
        {
            using var usage = Enter(runsSql: false);
            return Tracker.Entries.Any(e => e.State != EntityState.Unchanged || e.Plan.ChangedMask(e.Entity, e.Snapshot!) != 0) || Transaction is not null;
        }
    }

    public SqlExecutor Executor => executor;

    public DbTransaction? Transaction { get; private set; }

    internal ChangeTracker Tracker { get; } = new();

    internal PremixRuntime Runtime => runtime;

    /// <summary>The include loader of this unit of work's tracked or untracked queries, made on the first and kept (it holds nothing of a load).</summary>
    internal Querying.IncludeLoader Includes(bool tracking) =>
        tracking ? _trackedIncludes ??= Querying.IncludeLoader.Of(this, tracking: true) : _untrackedIncludes ??= Querying.IncludeLoader.Of(this, tracking: false);

    public IRepository<T> Repository<T>()
        where T : class
    {
        ThrowIfDisposed();
        if (!_repositories.TryGetValue(typeof(T), out var repository))
        {
            repository = new Repository<T>(this);
            _repositories.Add(typeof(T), repository);
        }

        return (IRepository<T>)repository;
    }

    public RawQuery Raw(string sql, object? args = null)
    {
        ThrowIfDisposed();
        return new(this, runtime, sql, args);
    }

    public RawQuery Raw(RawSql sql)
    {
        ThrowIfDisposed();
        return RawQuery.Interpolated(this, runtime, sql);
    }

    RawQuery IUnitOfWork.Raw(RawSql sql, object? args) => throw RawQuery.MixedArguments();

    /// <summary>
    /// Runs a bulk UPDATE or DELETE in the unit of work's transaction, then refreshes the tracked entities of its type
    /// from the database, so a later commit never overwrites what the statement did with stale values.
    /// </summary>
    internal async Task<int> ExecuteBulkAsync(EntityPlan plan, Command command, CancellationToken cancellationToken)
    {
        // A statement on a class of a table-per-hierarchy mapping reaches the rows of the classes below it too.
        var tracked = Tracker.Entries.Where(e => (e.Plan == plan || (plan.Inheritance is not null && plan.Entity.ClrType.IsInstanceOfType(e.Entity))) && e.State != EntityState.Added).ToList();
        if (tracked.Any(e => e.State != EntityState.Unchanged || plan.ChangedMask(e.Entity, e.Snapshot!) != 0))
        {
            throw new InvalidOperationException(
                $"This unit of work has unsaved changes to {plan.Entity.Name} entities; a bulk statement on {plan.Entity.Name} could conflict with them. Commit them first, or run the bulk statement in another unit of work.");
        }

        var rows = await executor.ExecuteAsync(true, this, command, cancellationToken).ConfigureAwait(false);
        await RefreshAsync(plan, tracked, cancellationToken).ConfigureAwait(false);
        return rows;
    }

    // Re-reads tracked entities: with one IN statement per 2000 keys for a single-column key, by key otherwise. A row that
    // is gone (or now soft-deleted) is forgotten. The named query filters do not apply: a row loaded with one lifted, or
    // under another captured value, is still the caller's to edit. The tenant column's does: a row of another tenant
    // (loaded AcrossTenants) is forgotten rather than read into this tenant's unit of work.
    private async Task RefreshAsync(EntityPlan plan, List<EntityEntry> tracked, CancellationToken cancellationToken)
    {
        if (tracked.Count == 0)
        {
            return;
        }

        var fresh = new Dictionary<object, object>(); // by key value: every key here has the plan's identity type (IdentityMap says why not by EntityKey)
        if (plan.KeyParameters is [var key])
        {
            var rows = await KeyListReader.ReadAsync("Refresh", this, plan, key, tracked.ConvertAll(e => key.ReadRaw(e.Entity)!), queryFilters: false, cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                fresh[plan.KeyOf(row).Value] = row;
            }
        }
        else
        {
            var sql = plan.TenantConditionSql is { } tenant ? $"{plan.SelectByKey.Sql} AND {tenant}" : plan.SelectByKey.Sql;
            foreach (var entry in tracked)
            {
                var byKey = EntityParameters.ForKey(plan.SelectByKey, ((CompositeKey)plan.KeyOf(entry.Entity).Value).Values.ToArray());
                var inTenant = new QueryParameters { TextIsReused = false }; // with the tenant's condition, a text made per refresh
                plan.BindTenant(inTenant, executor.ColumnTenant);
                var reload = new Command("Refresh", plan.Entity.Name, sql, plan.TenantConditionSql is null ? byKey : new FilteredStatement.Both(byKey, inTenant));
                foreach (var row in await executor.ReadRowsAsync<object>(true, this, reload, plan.Rows, 1, cancellationToken).ConfigureAwait(false))
                {
                    fresh[plan.KeyOf(row).Value] = row;
                }
            }
        }

        foreach (var entry in tracked)
        {
            if (fresh.TryGetValue(plan.KeyOf(entry.Entity).Value, out var row))
            {
                entry.Plan.Assign(row, entry.Entity);
                entry.Snapshot = entry.Plan.Copy(entry.Entity);
            }
            else
            {
                Tracker.Detach(entry);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Tracker.Clear();
        try
        {
            if (Transaction is not null)
            {
                DisposedRollbackFailed(await TryRollBackAsync(true, Transaction).ConfigureAwait(false));
                if (_ambient is null)
                {
                    await Transaction.DisposeAsync().ConfigureAwait(false);
                }

                Transaction = null;
            }

            await CloseConnectionAsync(true).ConfigureAwait(false);
        }
        finally
        {
            Disposed?.Invoke(); // even when closing threw: a tenant held forever would fill the bound
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
        try
        {
            if (Transaction is not null)
            {
                DisposedRollbackFailed(TryRollBackAsync(false, Transaction).GetAwaiter().GetResult());
                if (_ambient is null)
                {
                    Transaction.Dispose();
                }

                Transaction = null;
            }

            CloseConnectionAsync(false).GetAwaiter().GetResult(); // completes synchronously: sync dispose
        }
        finally
        {
            Disposed?.Invoke(); // even when closing threw: a tenant held forever would fill the bound
        }
    }

    /// <summary>Runs once the unit of work is disposed: gives back the tenant it holds (docs/multi-tenancy.md).</summary>
    internal Action? Disposed { get; init; }

    // Disposing never throws for a rollback that failed (the connection is closed anyway), but the failure is not lost.
    private void DisposedRollbackFailed(Exception? rollbackError)
    {
        if (rollbackError is not null)
        {
            Log.RollbackFailed(logger, "of the transaction still open when the unit of work was disposed", rollbackError.GetType().Name, rollbackError.Message);
        }
    }
}
