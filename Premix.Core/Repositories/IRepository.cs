namespace Premix;

/// <summary>
/// Reads and writes one entity type. Reads run at once; writes (<see cref="Add"/>, <see cref="Update"/>, <see cref="Remove"/>)
/// are collected by the unit of work and sent by <see cref="IUnitOfWork.CommitAsync"/> in one transaction.
/// </summary>
/// <typeparam name="T">A mapped entity.</typeparam>
public interface IRepository<T>
    where T : class
{
    /// <summary>Loads the entity with <paramref name="key"/>.</summary>
    /// <exception cref="EntityNotFoundException">No row has that key.</exception>
    Task<T> GetAsync(object key, CancellationToken cancellationToken = default);

    /// <summary>Loads the entity with <paramref name="key"/>, or <see langword="null"/> when there is none.</summary>
    Task<T?> FindAsync(object key, CancellationToken cancellationToken = default);

    /// <summary>Loads every row of the table.</summary>
    Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Counts the rows of the table.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>The synchronous twin of <see cref="GetAsync"/>.</summary>
    /// <exception cref="EntityNotFoundException">No row has that key.</exception>
    T Get(object key);

    /// <summary>The synchronous twin of <see cref="FindAsync"/>.</summary>
    T? Find(object key);

    /// <summary>The synchronous twin of <see cref="ListAsync"/>.</summary>
    IReadOnlyList<T> List();

    /// <summary>The synchronous twin of <see cref="CountAsync"/>.</summary>
    long Count();

    /// <summary>Inserts <paramref name="entity"/> on commit; a generated key is written back to it once the commit succeeds.</summary>
    void Add(T entity);

    /// <summary>Writes every column of <paramref name="entity"/> on commit.</summary>
    void Update(T entity);

    /// <summary>Deletes <paramref name="entity"/> on commit.</summary>
    void Remove(T entity);
}
