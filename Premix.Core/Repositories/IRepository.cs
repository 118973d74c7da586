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

    /// <summary>
    /// Inserts <paramref name="entity"/> on commit, or, when a row with the same values in the conflict target exists, updates
    /// that row's other columns from it, in one statement that another connection's insert of the same values cannot turn
    /// into a duplicate or an error (<c>INSERT … ON CONFLICT … DO UPDATE</c>, <c>ON DUPLICATE KEY UPDATE</c>). The key of the
    /// row written is written back on both paths (after an update on a unique index, the existing row's key, generated or
    /// not), before new children are inserted. A soft-deleted row found is restored, its marker set from the entity. With a version column the existing row is updated only when its version equals the
    /// entity's (then incremented); otherwise the commit throws <see cref="ConcurrencyException"/>.
    /// </summary>
    /// <param name="entity">An entity this unit of work does not track yet.</param>
    /// <param name="on">
    /// The conflict target: <see langword="null"/> for the key (which the application must assign), or the properties of a
    /// unique index of the mapping, <c>on: c =&gt; c.Email</c> or <c>on: c =&gt; new { c.TenantId, c.Code }</c>.
    /// </param>
    /// <returns>Whether the row was inserted or updated, filled in when the commit succeeds.</returns>
    /// <exception cref="ArgumentException"><paramref name="on"/> names no key or unique index of the mapping, or an unmapped property; or it is null and the key is generated; or it names a unique index and the key has several columns.</exception>
    /// <exception cref="InvalidOperationException">The entity, or another instance with its key, is already tracked.</exception>
    UpsertOutcome Upsert(T entity, System.Linq.Expressions.Expression<Func<T, object?>>? on = null);

    /// <summary>Upserts each of <paramref name="entities"/> on commit, on one conflict target, in order (see <see cref="Upsert(T, System.Linq.Expressions.Expression{Func{T, object}})"/>).</summary>
    /// <returns>The outcome of each entity, in order.</returns>
    IReadOnlyList<UpsertOutcome> Upsert(IEnumerable<T> entities, System.Linq.Expressions.Expression<Func<T, object?>>? on = null);

    /// <summary>
    /// Inserts <paramref name="entity"/> on commit unless a row with the same values in the conflict target exists, which is
    /// then left as it is (<c>ON CONFLICT … DO NOTHING</c>; on MySQL/MariaDB a no-op <c>ON DUPLICATE KEY UPDATE</c>, never
    /// <c>INSERT IGNORE</c>, which would also hide other errors). An ignored entity gets no key and is not tracked.
    /// </summary>
    /// <param name="entity">An entity this unit of work does not track yet.</param>
    /// <param name="on">The conflict target, as for <see cref="Upsert(T, System.Linq.Expressions.Expression{Func{T, object}})"/>.</param>
    /// <returns>Whether the row was inserted (<see cref="UpsertOutcome.Inserted"/>), filled in when the commit succeeds.</returns>
    /// <exception cref="ArgumentException"><paramref name="on"/> names no key or unique index of the mapping, or an unmapped property; or it is null and the key is generated.</exception>
    UpsertOutcome InsertOrIgnore(T entity, System.Linq.Expressions.Expression<Func<T, object?>>? on = null);

    /// <summary>Inserts each of <paramref name="entities"/> that conflicts with no existing row on commit (see <see cref="InsertOrIgnore(T, System.Linq.Expressions.Expression{Func{T, object}})"/>).</summary>
    /// <returns>The outcome of each entity, in order.</returns>
    IReadOnlyList<UpsertOutcome> InsertOrIgnore(IEnumerable<T> entities, System.Linq.Expressions.Expression<Func<T, object?>>? on = null);

    /// <summary>Deletes <paramref name="entity"/> on commit; for an entity with a soft-delete marker, sets the marker instead (the row stays, hidden from reads).</summary>
    void Remove(T entity);

    /// <summary>Deletes the row of <paramref name="entity"/> on commit even though the entity has a soft-delete marker.</summary>
    void HardDelete(T entity);

    /// <summary>Clears the soft-delete marker of <paramref name="entity"/> (load it with <c>Query().WithDeleted()</c>), so it is visible again after the commit.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> has no soft-delete marker.</exception>
    void Restore(T entity);
}
