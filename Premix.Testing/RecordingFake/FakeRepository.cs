using Premix.Plans;
using Premix.Querying;
using Premix.Repositories;
using Premix.Tracking;

namespace Premix.Testing;

/// <summary>The fake's repository: reads the fake's rows through its unit of work's identity map, and collects writes for the commit as Premix's own does.</summary>
internal sealed class FakeRepository<T>(FakeUnitOfWork unitOfWork, EntityPlan plan, bool tracking) : IRepository<T>
    where T : class
{
    public Task<T> GetAsync(object key, CancellationToken cancellationToken = default) => Completed(() => Get(key));

    public Task<T?> FindAsync(object key, CancellationToken cancellationToken = default) => Completed(() => Find(key));

    public Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken = default) => Completed(List);

    public Task<long> CountAsync(CancellationToken cancellationToken = default) => Completed(Count);

    public T Get(object key) => Find(key) ?? throw new EntityNotFoundException(typeof(T), KeyText.DescribeKeyValue(plan, key));

    public T? Find(object key)
    {
        ArgumentNullException.ThrowIfNull(key);
        unitOfWork.ThrowIfDisposed();
        var identity = KeyArgument.Identity(plan, KeyArgument.Normalize(plan, key));
        if (tracking && unitOfWork.Tracker.Find(identity) is { } tracked)
        {
            // As the real repository: another class of the same hierarchy under this key is not a T.
            return tracked.State == EntityState.Deleted || tracked.Entity is not T found ? null : found;
        }

        var tenant = FakeTenancy.Required(plan, plan.Filters.All, unitOfWork.ColumnTenant); // a read without a tenant fails before looking
        var stored = unitOfWork.Data.Find(plan, identity);
        return stored is null || !InMemoryQuery.IsVisible(plan, unitOfWork.Options, stored, tenant) ? null : unitOfWork.Load<T>(stored, plan, tracking);
    }

    public IReadOnlyList<T> List()
    {
        unitOfWork.ThrowIfDisposed();
        return InMemoryQuery.Select(plan, unitOfWork.Options, unitOfWork.Data.Rows(plan), QueryModel.Empty, QueryOperation.Rows, unitOfWork.ColumnTenant).ConvertAll(row => unitOfWork.Load<T>(row, plan, tracking));
    }

    public long Count()
    {
        unitOfWork.ThrowIfDisposed();
        return InMemoryQuery.Select(plan, unitOfWork.Options, unitOfWork.Data.Rows(plan), QueryModel.Empty, QueryOperation.Count, unitOfWork.ColumnTenant).Count;
    }

    public Query<T> Query()
    {
        unitOfWork.ThrowIfDisposed();
        return new Query<T>(unitOfWork, plan, tracking ? QueryModel.Empty : QueryModel.Empty with { Tracking = false });
    }

    public IRepository<T> AsNoTracking() => tracking ? new FakeRepository<T>(unitOfWork, plan, tracking: false) : this;

    public void Add(T entity) => unitOfWork.Tracked().Add(Require(entity), plan);

    public void Update(T entity) => unitOfWork.Tracked().Update(Require(entity), plan);

    public UpsertOutcome Upsert(T entity, System.Linq.Expressions.Expression<Func<T, object?>>? on = null) => Track([Require(entity)], on, ignoreConflicts: false)[0];

    public IReadOnlyList<UpsertOutcome> Upsert(IEnumerable<T> entities, System.Linq.Expressions.Expression<Func<T, object?>>? on = null) => Track(entities, on, ignoreConflicts: false);

    public UpsertOutcome InsertOrIgnore(T entity, System.Linq.Expressions.Expression<Func<T, object?>>? on = null) => Track([Require(entity)], on, ignoreConflicts: true)[0];

    public IReadOnlyList<UpsertOutcome> InsertOrIgnore(IEnumerable<T> entities, System.Linq.Expressions.Expression<Func<T, object?>>? on = null) => Track(entities, on, ignoreConflicts: true);

    private UpsertOutcome[] Track(IEnumerable<T> entities, System.Linq.Expressions.LambdaExpression? on, bool ignoreConflicts) =>
        UpsertCalls.Track(unitOfWork.Tracked(), plan, entities, on, ignoreConflicts);

    public void Remove(T entity) => unitOfWork.Tracked().Remove(Require(entity), plan, hard: false);

    public void HardDelete(T entity) => unitOfWork.Tracked().Remove(Require(entity), plan, hard: true);

    public void Restore(T entity)
    {
        var setMarker = plan.SetSoftDeleteMarker
            ?? throw new InvalidOperationException($"{typeof(T).Name} has no soft-delete marker; declare one with SoftDelete(x => x.DeletedAt) to restore rows.");
        setMarker(Require(entity), plan.LiveMarker());
        if (unitOfWork.Tracked().Find(entity) is null)
        {
            unitOfWork.Tracker.Update(entity, plan);
        }
    }

    // An error travels in the task, as from Premix's repository, rather than being thrown by the call.
    private static Task<TResult> Completed<TResult>(Func<TResult> read)
    {
        try
        {
            return Task.FromResult(read());
        }
        catch (Exception e)
        {
            return Task.FromException<TResult>(e);
        }
    }

    private static T Require(T entity) => entity ?? throw new ArgumentNullException(nameof(entity));
}
