namespace Premix;

/// <summary>
/// Reads and writes one entity type. Reads run at once and are tracked: within a unit of work one key gives one
/// instance, and changes to loaded entities are detected and saved by <see cref="IUnitOfWork.CommitAsync"/>.
/// Writes (<see cref="Add"/>, <see cref="Update"/>, <see cref="Remove"/>) are sent by the commit, in one transaction.
/// </summary>
/// <typeparam name="T">A mapped entity.</typeparam>
public interface IRepository<T>
    where T : class
{
    /// <summary>
    /// Loads the entity with <paramref name="key"/>: a value for a single key; for a composite key a value tuple of the key's
    /// types in <c>HasKey</c> order (<c>(7L, 2)</c> for <c>HasKey(l =&gt; new { l.OrderId, l.LineNo })</c> of a long and an int),
    /// or an object with the key's property names (<c>new { OrderId = 7, LineNo = 2 }</c>).
    /// </summary>
    /// <exception cref="EntityNotFoundException">No row has that key.</exception>
    /// <exception cref="ArgumentException">The key does not fit the entity's key: a tuple of other types or length, or an object without the key's property names.</exception>
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

    /// <summary>A query over <typeparamref name="T"/>: <c>Query().Where(c =&gt; c.Name.StartsWith("A")).OrderBy(c =&gt; c.Name).Take(20).ToListAsync()</c>.</summary>
    Query<T> Query();

    /// <summary>
    /// The same repository with untracked reads: every read returns new instances that the unit of work neither
    /// de-duplicates nor watches for changes. Cheaper for read-only work.
    /// </summary>
    IRepository<T> AsNoTracking();

    /// <summary>Inserts <paramref name="entity"/> on commit, with the children reachable through its collections; a generated key is written back to it.</summary>
    void Add(T entity);

    /// <summary>
    /// Writes every column of an entity that was not loaded by this unit of work (for example one received from a client).
    /// Entities loaded here need no call: their changed columns are detected at commit.
    /// </summary>
    void Update(T entity);

    /// <summary>Deletes <paramref name="entity"/> on commit; for an entity with a soft-delete marker, sets the marker instead (the row stays, hidden from reads).</summary>
    void Remove(T entity);

    /// <summary>Deletes the row of <paramref name="entity"/> on commit even though the entity has a soft-delete marker.</summary>
    void HardDelete(T entity);

    /// <summary>Clears the soft-delete marker of <paramref name="entity"/> (load it with <c>Query().WithDeleted()</c>), so it is visible again after the commit.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> has no soft-delete marker.</exception>
    void Restore(T entity);
}
