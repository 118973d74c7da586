using System.Linq.Expressions;
using Premix.Plans;
using Premix.Querying;
using Premix.Tenancy;
using Premix.Tracking;

namespace Premix.Testing;

/// <summary>
/// The fake's unit of work: Premix's own identity map, change tracker, commit planner, hooks, rounding and validation,
/// over the fake's tables instead of a connection. A bulk statement or a commit works on a copy of the tables (its
/// transaction), published whole when the commit succeeds. <paramref name="scope"/> is the DI scope whose
/// <see cref="ITenantResolver"/> names the tenant, as for the <see cref="IUnitOfWork"/> Premix registers in a scope;
/// null for an explicit <c>BeginUnitOfWork()</c>, where Premix counts only the ambient tenant.
/// </summary>
internal sealed class FakeUnitOfWork(FakePremix premix, IServiceProvider? scope) : IUnitOfWork, IQueryRunner
{
    private readonly FakeRawRunner _raw = new(premix, inUnitOfWork: true);
    private readonly Dictionary<Type, object> _repositories = [];
    private readonly HookRunner _hooks = new(premix.Services);
    private (FakeStore Tables, long Generation)? _transaction;
    private bool _disposed;

    public bool HasPendingChanges
    {
        get
        {
            ThrowIfDisposed();
            return Tracker.Entries.Any(e => e.State != EntityState.Unchanged || e.Plan.ChangedMask(e.Entity, e.Snapshot!) != 0) || _transaction is not null;
        }
    }

    public PremixRuntime Runtime => premix.Runtime;

    internal ChangeTracker Tracker { get; } = new();

    /// <summary>
    /// The tenant a tenant column's filter binds and inserts get: with <c>UseTenants(t => t.TenantColumn())</c>, resolved once
    /// when the unit of work is created (from <c>scope</c>, as Premix's <c>BeginUnitOfWork</c>) and checked against <c>TenantIdFormat</c>, as Premix does (no tenant, or one of
    /// another format, fails there); without tenancy, none, so a tenant-column entity's reads and writes fail closed as
    /// they do on a database.
    /// </summary>
    public string? ColumnTenant { get; } = premix.Runtime.Tenancy is { } tenancy ? Checked(tenancy, TenantResolution.Resolve(scope)) : null;

    internal FakeOptions Options => premix.Options;

    /// <summary>What this unit of work reads: its transaction's tables once it has one, the committed ones before.</summary>
    internal FakeStore Data => _transaction?.Tables ?? premix.Store;

    public IRepository<T> Repository<T>()
        where T : class
    {
        ThrowIfDisposed();
        if (!_repositories.TryGetValue(typeof(T), out var repository))
        {
            repository = new FakeRepository<T>(this, Runtime.Plan(typeof(T)), tracking: true);
            _repositories.Add(typeof(T), repository);
        }

        return (IRepository<T>)repository;
    }

    public RawQuery Raw(RawSql sql)
    {
        ThrowIfDisposed();
        return RawQuery.Served(_raw, Runtime, sql);
    }

    public RawQuery Raw(string sql, object? args = null)
    {
        ThrowIfDisposed();
        return RawQuery.Served(_raw, Runtime, sql, args);
    }

    RawQuery IUnitOfWork.Raw(RawSql sql, object? args) => throw RawQuery.MixedArguments();

    // The fake has no connections: a hold keeps nothing, and only checks the unit of work is usable.
    public ValueTask<ConnectionHold> HoldConnectionAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(HoldConnection());

    public ConnectionHold HoldConnection()
    {
        ThrowIfDisposed();
        return new ConnectionHold(null);
    }

    public void Commit() => CommitAsync().GetAwaiter().GetResult();

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var undo = new UndoLog();
        var planner = new CommitPlanner(Tracker, Runtime.Relations);
        List<WriteOperation> operations = [];
        try
        {
            operations = planner.Plan(undo);
            if (await _hooks.RunAsync(operations, before: true, cancellationToken).ConfigureAwait(false))
            {
                operations = planner.Plan(undo); // a before-hook may have changed what is written
            }

            ValueRounding.Apply(operations, undo);
            TenantStamp.Apply(operations, ColumnTenant, Runtime.Provider.Dialect.UpsertMeetsAnyUniqueKey, undo);
            if (EntityValidator.Failures(operations) is { } failures)
            {
                throw new ValidationException(failures);
            }

            if (operations.Count == 0 && _transaction is null)
            {
                return; // nothing to send: a real commit sends nothing either
            }

            var uniques = premix.UniqueConstraints;
            premix.Commit(_transaction, tables =>
            {
                new FakeCommitWriter(tables, planner, undo, uniques, Options).Write(operations);
                return Record(operations, null);
            });
        }
        catch (Exception e)
        {
            undo.Revert();
            _transaction = null; // the transaction is rolled back with its bulk statements, as on a database
            if (operations.Count > 0)
            {
                premix.RecordCommit(Record(operations, e));
            }

            throw;
        }

        _transaction = null;
        Tracker.AcceptChanges(operations);
        await _hooks.RunAsync(operations, before: false, cancellationToken).ConfigureAwait(false);
    }

    public void VerifyCommitWith(Func<IUnitOfWork, CancellationToken, Task<bool>> wasCommitted)
    {
        ArgumentNullException.ThrowIfNull(wasCommitted);
        ThrowIfDisposed(); // the fake never loses a COMMIT's answer, so the check never runs
    }

    public void Dispose()
    {
        _disposed = true;
        _transaction = null;
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public Task<List<T>> RowsAsync<T>(QueryModel model, int? take, CancellationToken cancellationToken)
        where T : class
    {
        ThrowIfDisposed();
        var plan = Runtime.Plan(typeof(T));
        var rows = InMemoryQuery.Select(plan, Options, Data.Rows(plan), model, QueryOperation.Rows, ColumnTenant, take).ConvertAll(row => Load<T>(row, plan, model.Tracking));
        if (model.Includes.Length > 0 && rows.Count > 0)
        {
            var loader = new IncludeLoader(Runtime, (related, column, keys, _, _) => ValueTask.FromResult(RowsWhere(related, column, keys, model.Tracking)));
            return LoadIncludesAsync(loader, plan, rows, model, cancellationToken);
        }

        return Task.FromResult(rows);
    }

    public Task<List<TResult>> ProjectAsync<T, TResult>(QueryModel model, int? take, LambdaExpression selector, CancellationToken cancellationToken)
        where T : class
    {
        ThrowIfDisposed();
        var plan = Runtime.Plan(typeof(T));
        var project = (Func<T, TResult>)selector.Compile();
        return Task.FromResult(InMemoryQuery.Select(plan, Options, Data.Rows(plan), model, QueryOperation.Project, ColumnTenant, take).ConvertAll(row => project((T)plan.For(row).Copy(row))));
    }

    public Task<long> CountAsync<T>(QueryModel model, CancellationToken cancellationToken)
        where T : class
    {
        ThrowIfDisposed();
        var plan = Runtime.Plan(typeof(T));
        return Task.FromResult((long)InMemoryQuery.Select(plan, Options, Data.Rows(plan), model, QueryOperation.Count, ColumnTenant).Count);
    }

    public Task<int> BulkAsync<T>(QueryOperation operation, QueryModel model, LambdaExpression? assignments, CancellationToken cancellationToken)
        where T : class
    {
        ThrowIfDisposed();
        var plan = Runtime.Plan(typeof(T));
        var tracked = Tracker.Entries.Where(e => e.Plan == plan && e.State != EntityState.Added).ToList();
        if (tracked.Any(e => e.State != EntityState.Unchanged || plan.ChangedMask(e.Entity, e.Snapshot!) != 0))
        {
            throw new InvalidOperationException(
                $"This unit of work has unsaved changes to {plan.Entity.Name} entities; a bulk statement on {plan.Entity.Name} could conflict with them. Commit them first, or run the bulk statement in another unit of work.");
        }

        _transaction ??= premix.BeginTransaction();
        var rows = InMemoryQuery.Select(plan, Options, Data.Rows(plan), model, operation, ColumnTenant);
        var bulk = new FakeBulkStatement(plan, Data);
        switch (operation)
        {
            case QueryOperation.Update:
                bulk.Update(rows, assignments!);
                break;
            case QueryOperation.Delete when plan.SetSoftDeleteMarker is not null:
                bulk.SoftDelete(rows);
                break;
            default:
                bulk.Delete(rows);
                break;
        }

        Refresh(plan, tracked);
        return Task.FromResult(rows.Count);
    }

    /// <summary>A copy of a stored row, tracked (one instance per key in this unit of work) unless the read is untracked.</summary>
    internal T Load<T>(object stored, EntityPlan plan, bool tracking)
        where T : class
    {
        var row = (T)plan.For(stored).Copy(stored);
        return tracking ? Tracker.Track(row, plan) : row;
    }

    /// <summary>The change tracker, for a repository's write; throws once the unit of work is disposed.</summary>
    internal ChangeTracker Tracked()
    {
        ThrowIfDisposed();
        return Tracker;
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private static string Checked(TenancyOptions tenancy, string tenant)
    {
        tenancy.CheckTenantId(tenant);
        return tenant;
    }

    private async Task<List<T>> LoadIncludesAsync<T>(IncludeLoader loader, EntityPlan plan, List<T> rows, QueryModel model, CancellationToken cancellationToken)
        where T : class
    {
        await loader.LoadAsync(plan, rows, model.Includes, cancellationToken).ConfigureAwait(false);
        return rows;
    }

    // Include's IN-list read: the rows whose column holds one of the keys, soft-deleted, filtered and other tenants' rows hidden, as its SQL reads them.
    private List<object> RowsWhere(EntityPlan plan, IReadOnlyList<ParameterBinding> columns, IReadOnlyList<object> keys, bool tracking)
    {
        var tenant = FakeTenancy.Required(plan, plan.Filters.All, ColumnTenant);
        var wanted = keys.ToHashSet();
        return Data.Rows(plan)
            .Where(row => KeyIn(row, columns) is { } value && wanted.Contains(value) && InMemoryQuery.IsVisible(plan, Options, row, tenant))
            .Select(row => Load<object>(row, plan, tracking))
            .ToList();
    }

    // A row's value of the columns, as the include loader keys it: the value, or a composite key (null when a part is null).
    private static object? KeyIn(object row, IReadOnlyList<ParameterBinding> columns)
    {
        if (columns.Count == 1)
        {
            return columns[0].ReadRaw(row);
        }

        var values = columns.Select(c => c.ReadRaw(row)).ToArray();
        return values.Contains(null) ? null : new CompositeKey(values);
    }

    // After a bulk statement, as Premix does: tracked entities take the rows' new values, and those whose row is gone (or soft-deleted) are forgotten;
    // the named filters do not apply, but the tenant's always does (a tracked row of another tenant, loaded AcrossTenants, is forgotten).
    private void Refresh(EntityPlan plan, List<EntityEntry> tracked)
    {
        // Without a tenant the refresh binds NULL, which matches no row (fail closed), rather than throw after the bulk statement ran.
        bool InTenant(object row) => plan.GetTenant is null || (ColumnTenant is not null && FakeTenancy.Keeps(plan, row, ColumnTenant));
        foreach (var entry in tracked)
        {
            var row = Data.Find(plan, plan.KeyOf(entry.Entity));
            if (row is not null && (plan.Entity.SoftDeleteMarker is null || !InMemoryQuery.IsSoftDeleted(plan, row)) && InTenant(row))
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

    private static RecordedCommit Record(List<WriteOperation> operations, Exception? error) => new(operations.ConvertAll(Recorded), error);

    private static RecordedWrite Recorded(WriteOperation operation)
    {
        var plan = operation.Entry.Plan;
        var changed = operation.Kind == WriteKind.Update
            ? plan.Updatable.Where((_, i) => operation.Writes(i)).Select(b => b.Name).ToList()
            : [];
        var kind = operation.Kind switch
        {
            WriteKind.Insert => RecordedWriteKind.Insert,
            WriteKind.Upsert when operation.Entry.Upsert is { IgnoreConflicts: true } => RecordedWriteKind.InsertOrIgnore,
            WriteKind.Upsert => RecordedWriteKind.Upsert,
            WriteKind.Update => RecordedWriteKind.Update,
            WriteKind.SoftDelete => RecordedWriteKind.SoftDelete,
            _ => RecordedWriteKind.Delete,
        };
        return new RecordedWrite(kind, plan.Copy(operation.Entry.Entity), changed);
    }
}
