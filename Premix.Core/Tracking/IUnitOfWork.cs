namespace Premix;

/// <summary>
/// A scope of work on the database: it owns one connection, collects the writes made through its repositories, and
/// sends them all in one transaction on <see cref="CommitAsync"/>. Disposing it without committing discards them.
/// </summary>
/// <remarks>Like a DbContext, a unit of work is for one flow of work at a time; it is not thread-safe.</remarks>
public interface IUnitOfWork : IAsyncDisposable, IDisposable
{
    /// <summary>Whether writes are waiting for <see cref="CommitAsync"/>.</summary>
    bool HasPendingChanges { get; }

    /// <summary>The repository of <typeparamref name="T"/> bound to this unit of work.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not mapped.</exception>
    IRepository<T> Repository<T>()
        where T : class;

    /// <summary>A raw SQL statement run on this unit of work's connection.</summary>
    /// <param name="sql">The SQL, with parameters written <c>@name</c>.</param>
    /// <param name="args">An object whose properties are the parameters (<c>new { since }</c>); never concatenate values into <paramref name="sql"/>.</param>
    RawQuery Raw(string sql, object? args = null);

    /// <summary>
    /// Validates every pending write, then sends them in one transaction: all of them land, or none does.
    /// Generated keys are written back to the inserted objects once the transaction has committed.
    /// </summary>
    /// <exception cref="ValidationException">An entity broke its mapping's rules; nothing was sent.</exception>
    /// <exception cref="ConcurrencyException">An update or delete matched no row; everything was rolled back.</exception>
    /// <exception cref="DatabaseCommandException">The database refused a statement; everything was rolled back.</exception>
    Task CommitAsync(CancellationToken cancellationToken = default);

    /// <summary>The synchronous twin of <see cref="CommitAsync"/>.</summary>
    void Commit();
}
