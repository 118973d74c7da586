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

    /// <summary>Created by dependency injection for the scope's unit of work, or by <see cref="IUnitOfWork.Repository{T}"/>.</summary>
    public Repository(IUnitOfWork unitOfWork)
    {
        _unitOfWork = unitOfWork as UnitOfWork ?? throw new ArgumentException("Repositories work only with the unit of work Premix created.", nameof(unitOfWork));
        _plan = _unitOfWork.Runtime.Plan(typeof(T));
    }

    public async Task<T> GetAsync(object key, CancellationToken cancellationToken = default) =>
        await FindAsync(true, key, cancellationToken).ConfigureAwait(false) ?? throw NotFound(key);

    public Task<T?> FindAsync(object key, CancellationToken cancellationToken = default) => FindAsync(true, key, cancellationToken).AsTask();

    public Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken = default) => ListAsync(true, cancellationToken).AsTask();

    public Task<long> CountAsync(CancellationToken cancellationToken = default) => CountAsync(true, cancellationToken).AsTask();

    public T Get(object key) => Find(key) ?? throw NotFound(key);

    public T? Find(object key) => FindAsync(false, key, CancellationToken.None).GetAwaiter().GetResult();

    public IReadOnlyList<T> List() => ListAsync(false, CancellationToken.None).GetAwaiter().GetResult();

    public long Count() => CountAsync(false, CancellationToken.None).GetAwaiter().GetResult();

    public void Add(T entity) => _unitOfWork.Enqueue(WriteKind.Insert, entity, _plan);

    public void Update(T entity) => _unitOfWork.Enqueue(WriteKind.Update, entity, _plan);

    public void Remove(T entity) => _unitOfWork.Enqueue(WriteKind.Delete, entity, _plan);

    private async ValueTask<T?> FindAsync(bool async, object key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_plan.KeyParameters.Count != 1)
        {
            throw new NotSupportedException($"{typeof(T).Name} has a composite key; look it up with Raw(...) until composite-key lookups are supported.");
        }

        var statement = _plan.SelectByKey;
        var connection = await _unitOfWork.AcquireAsync(async, cancellationToken).ConfigureAwait(false);
        var command = new Command(statement.Name, _plan.Entity.Name, statement.Sql, EntityParameters.ForKey(statement, key));
        return await _unitOfWork.Executor.FirstOrDefaultAsync<T>(async, connection, _unitOfWork.Transaction, command, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<IReadOnlyList<T>> ListAsync(bool async, CancellationToken cancellationToken)
    {
        var connection = await _unitOfWork.AcquireAsync(async, cancellationToken).ConfigureAwait(false);
        var command = new Command(_plan.SelectAll.Name, _plan.Entity.Name, _plan.SelectAll.Sql, null);
        return await _unitOfWork.Executor.QueryAsync<T>(async, connection, _unitOfWork.Transaction, command, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<long> CountAsync(bool async, CancellationToken cancellationToken)
    {
        var connection = await _unitOfWork.AcquireAsync(async, cancellationToken).ConfigureAwait(false);
        var command = new Command(_plan.Count.Name, _plan.Entity.Name, _plan.Count.Sql, null);
        return await _unitOfWork.Executor.ScalarAsync<long>(async, connection, _unitOfWork.Transaction, command, cancellationToken).ConfigureAwait(false);
    }

    private EntityNotFoundException NotFound(object key) => new(typeof(T), KeyText.DescribeKeyValue(_plan, key));
}
