using Microsoft.Extensions.DependencyInjection;
using Premix.Execution;
using Premix.Plans;
using Premix.Tracking;

namespace Premix.Repositories;

/// <summary>The repository of one entity type, bound to a unit of work and running that entity's compiled plan.</summary>
internal sealed class Repository<T> : IRepository<T>
    where T : class
{
    private readonly UnitOfWork _unitOfWork;
    private readonly EntityPlan _plan;
    private readonly bool _tracking;

    // Every query starts from this one: a query is immutable, so one start serves every call (and a compiled query's call
    // allocates no start of its own).
    private readonly Query<T> _start;

    // The untracked twin, made on the first AsNoTracking() and kept: a hot path that reads untracked calls it per read.
    private Repository<T>? _untracked;

    /// <summary>Created by dependency injection for the scope's unit of work, or by <see cref="IUnitOfWork.Repository{T}"/>.</summary>
    /// <remarks>A keyed repository (<c>AddKeyedPremix</c>) gets the unit of work of its own key: <c>[FromKeyedServices]</c> inherits it.</remarks>
    public Repository([FromKeyedServices] IUnitOfWork unitOfWork)
        : this(unitOfWork as UnitOfWork ?? throw new ArgumentException("Repositories work only with the unit of work Premix created.", nameof(unitOfWork)), tracking: true)
    {
    }

    private Repository(UnitOfWork unitOfWork, bool tracking)
    {
        _unitOfWork = unitOfWork;
        _plan = unitOfWork.Runtime.Plan(typeof(T));
        _tracking = tracking;
        _start = new(unitOfWork, _plan, tracking ? Querying.QueryModel.Empty : Querying.QueryModel.EmptyUntracked);
    }

    public Task<T> GetAsync(object key, CancellationToken cancellationToken = default)
    {
        var found = FindAsync(true, key, cancellationToken);
        return found.IsCompletedSuccessfully ? Task.FromResult(found.Result ?? throw NotFound(key)) : AwaitFound(found, key);
    }

    private async Task<T> AwaitFound(ValueTask<T?> found, object key) => await found.ConfigureAwait(false) ?? throw NotFound(key);

    public Task<T?> FindAsync(object key, CancellationToken cancellationToken = default) => FindAsync(true, key, cancellationToken).AsTask();

    public Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken = default) => ListAsync(true, cancellationToken).AsTask();

    public Task<long> CountAsync(CancellationToken cancellationToken = default) => CountAsync(true, cancellationToken).AsTask();

    public T Get(object key) => Find(key) ?? throw NotFound(key);

    public T? Find(object key) => FindAsync(false, key, CancellationToken.None).GetAwaiter().GetResult();

    public IReadOnlyList<T> List() => ListAsync(false, CancellationToken.None).GetAwaiter().GetResult();

    public long Count() => CountAsync(false, CancellationToken.None).GetAwaiter().GetResult();

    public Query<T> Query()
    {
        _unitOfWork.ThrowIfDisposed();
        return _start;
    }

    public IRepository<T> AsNoTracking()
    {
        _unitOfWork.ThrowIfDisposed();
        return _tracking ? _untracked ??= new Repository<T>(_unitOfWork, tracking: false) : this;
    }

    public void Add(T entity)
    {
        using var usage = _unitOfWork.Enter(runsSql: false);
        _unitOfWork.Tracker.Add(Require(entity), _plan);
    }

    public void Update(T entity)
    {
        using var usage = _unitOfWork.Enter(runsSql: false);
        _unitOfWork.Tracker.Update(Require(entity), _plan);
    }

    public UpsertOutcome Upsert(T entity, System.Linq.Expressions.Expression<Func<T, object?>>? on = null) => Track([Require(entity)], on, ignoreConflicts: false)[0];

    public IReadOnlyList<UpsertOutcome> Upsert(IEnumerable<T> entities, System.Linq.Expressions.Expression<Func<T, object?>>? on = null) => Track(entities, on, ignoreConflicts: false);

    public UpsertOutcome InsertOrIgnore(T entity, System.Linq.Expressions.Expression<Func<T, object?>>? on = null) => Track([Require(entity)], on, ignoreConflicts: true)[0];

    public IReadOnlyList<UpsertOutcome> InsertOrIgnore(IEnumerable<T> entities, System.Linq.Expressions.Expression<Func<T, object?>>? on = null) => Track(entities, on, ignoreConflicts: true);

    private UpsertOutcome[] Track(IEnumerable<T> entities, System.Linq.Expressions.LambdaExpression? on, bool ignoreConflicts)
    {
        using var usage = _unitOfWork.Enter(runsSql: false);
        return UpsertCalls.Track(_unitOfWork.Tracker, _plan, entities, on, ignoreConflicts);
    }

    public void Remove(T entity)
    {
        using var usage = _unitOfWork.Enter(runsSql: false);
        _unitOfWork.Tracker.Remove(Require(entity), _plan, hard: false);
    }

    public void HardDelete(T entity)
    {
        using var usage = _unitOfWork.Enter(runsSql: false);
        _unitOfWork.Tracker.Remove(Require(entity), _plan, hard: true);
    }

    public void Restore(T entity)
    {
        using var usage = _unitOfWork.Enter(runsSql: false);
        var setMarker = _plan.SetSoftDeleteMarker
            ?? throw new InvalidOperationException($"{typeof(T).Name} has no soft-delete marker; declare one with SoftDelete(x => x.DeletedAt) to restore rows.");
        setMarker(Require(entity), _plan.LiveMarker());
        if (_unitOfWork.Tracker.Find(entity) is null)
        {
            _unitOfWork.Tracker.Update(entity, _plan);
        }
    }

    // One async method from the caller to the executor, with a pooled state machine: each async layer that really
    // waits on the network would otherwise allocate one.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<T?> FindAsync(bool async, object key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var usage = _unitOfWork.Enter(runsSql: true);
        var normalized = KeyArgument.Normalize(_plan, key);
        if (_tracking && _unitOfWork.Tracker.Find(KeyArgument.Identity(_plan, normalized)) is { } tracked)
        {
            // Already loaded here: no round trip. Another class of the same hierarchy under this key is not a T.
            return tracked.State == EntityState.Deleted || tracked.Entity is not T found ? null : found;
        }

        var statement = _plan.SelectByKey;
        var command = _plan.Filters.IsEmpty
            ? new Command(statement.Name, _plan.Entity.Name, statement.Sql, EntityParameters.ForKey(statement, normalized))
            : Querying.FilteredStatement.ByKey(_unitOfWork.Runtime, _plan, normalized, _unitOfWork.Executor.ColumnTenant);
        var rows = await _unitOfWork.Executor.ReadRowsAsync(async, _unitOfWork, command, _plan.Rows, limit: 1, cancellationToken, FirstRowBuffer<T>.Rent()).ConfigureAwait(false);
        var row = FirstRowBuffer<T>.TakeFirst(rows);
        return row is null ? null : _tracking ? _unitOfWork.Tracker.Track(row, _plan) : row;
    }

    private async ValueTask<IReadOnlyList<T>> ListAsync(bool async, CancellationToken cancellationToken)
    {
        using var usage = _unitOfWork.Enter(runsSql: true);
        var command = _plan.Filters.IsEmpty ? new Command(_plan.SelectAll.Name, _plan.Entity.Name, _plan.SelectAll.Sql, null) : Querying.FilteredStatement.Of(_unitOfWork.Runtime, _plan, _plan.SelectAll, _unitOfWork.Executor.ColumnTenant);
        var rows = await _unitOfWork.Executor.ReadRowsAsync<T>(async, _unitOfWork, command, _plan.Rows, int.MaxValue, cancellationToken).ConfigureAwait(false);
        if (!_tracking)
        {
            return rows;
        }

        var tracked = new T[rows.Count];
        for (var i = 0; i < tracked.Length; i++)
        {
            tracked[i] = _unitOfWork.Tracker.Track(rows[i], _plan);
        }

        return tracked;
    }

    private async ValueTask<long> CountAsync(bool async, CancellationToken cancellationToken)
    {
        using var usage = _unitOfWork.Enter(runsSql: true);
        var command = _plan.Filters.IsEmpty ? new Command(_plan.Count.Name, _plan.Entity.Name, _plan.Count.Sql, null) : Querying.FilteredStatement.Of(_unitOfWork.Runtime, _plan, _plan.Count, _unitOfWork.Executor.ColumnTenant);
        return Convert.ToInt64(await _unitOfWork.Executor.ScalarAsync(async, _unitOfWork, command, cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static T Require(T entity) => entity ?? throw new ArgumentNullException(nameof(entity));

    // Names the filters the read by key applied (never their values): one of them may hide a row that exists.
    private EntityNotFoundException NotFound(object key) => new(typeof(T), KeyText.DescribeKeyValue(_plan, key), AppliedFilters());

    private string[] AppliedFilters() =>
        [.. _plan.Filters.Filters.Select(f => f.Name), .. _plan.Entity.SoftDeleteMarker is null ? [] : new[] { Mapping.QueryFilterModel.SoftDeleteName }];
}
