using Premix.Querying;

namespace Premix;

/// <summary>
/// A query compiled with one argument, made by <see cref="PremixQuery"/>: translated once per engine and shape, run by a method
/// that names the repository. Thread-safe: keep it in a <c>static readonly</c> field.
/// </summary>
/// <typeparam name="T">The queried entity.</typeparam>
/// <typeparam name="TArg">The argument.</typeparam>
public sealed class PremixQuery<T, TArg>
    where T : class
{
    private readonly QueryTemplate<T, ValueTuple<TArg>> _template;

    internal PremixQuery(QueryTemplate<T, ValueTuple<TArg>> template) => _template = template;

    /// <summary>Runs the query and returns every row (tracked unless the repository or the query is no-tracking).</summary>
    /// <param name="repository">The repository to run on: its unit of work, transaction and tracking.</param>
    /// <param name="argument">The argument: becomes the parameter(s) the lambda uses it in.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="ArgumentNullException"><paramref name="repository"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The repository's unit of work was disposed.</exception>
    public Task<IReadOnlyList<T>> ToListAsync(IRepository<T> repository, TArg argument, CancellationToken cancellationToken = default) =>
        _template.Bind(repository, new(argument)).ToListAsync(cancellationToken);

    /// <summary>Returns the first row.</summary>
    /// <param name="repository">The repository to run on: its unit of work, transaction and tracking.</param>
    /// <param name="argument">The argument: becomes the parameter(s) the lambda uses it in.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="ArgumentNullException"><paramref name="repository"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The repository's unit of work was disposed.</exception>
    /// <exception cref="InvalidOperationException">There is no row.</exception>
    public Task<T> FirstAsync(IRepository<T> repository, TArg argument, CancellationToken cancellationToken = default) =>
        _template.Bind(repository, new(argument)).FirstAsync(cancellationToken);

    /// <summary>Returns the first row, or <see langword="null"/>.</summary>
    /// <param name="repository">The repository to run on: its unit of work, transaction and tracking.</param>
    /// <param name="argument">The argument: becomes the parameter(s) the lambda uses it in.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="ArgumentNullException"><paramref name="repository"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The repository's unit of work was disposed.</exception>
    public Task<T?> FirstOrDefaultAsync(IRepository<T> repository, TArg argument, CancellationToken cancellationToken = default) =>
        _template.Bind(repository, new(argument)).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Returns the only row.</summary>
    /// <param name="repository">The repository to run on: its unit of work, transaction and tracking.</param>
    /// <param name="argument">The argument: becomes the parameter(s) the lambda uses it in.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="ArgumentNullException"><paramref name="repository"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The repository's unit of work was disposed.</exception>
    /// <exception cref="InvalidOperationException">There is no row, or more than one.</exception>
    public Task<T> SingleAsync(IRepository<T> repository, TArg argument, CancellationToken cancellationToken = default) =>
        _template.Bind(repository, new(argument)).SingleAsync(cancellationToken);

    /// <summary>Counts the rows the query would return.</summary>
    /// <param name="repository">The repository to run on: its unit of work, transaction and tracking.</param>
    /// <param name="argument">The argument: becomes the parameter(s) the lambda uses it in.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="ArgumentNullException"><paramref name="repository"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The repository's unit of work was disposed.</exception>
    public Task<long> CountAsync(IRepository<T> repository, TArg argument, CancellationToken cancellationToken = default) =>
        _template.Bind(repository, new(argument)).CountAsync(cancellationToken);

    /// <summary>Tells whether any row matches.</summary>
    /// <param name="repository">The repository to run on: its unit of work, transaction and tracking.</param>
    /// <param name="argument">The argument: becomes the parameter(s) the lambda uses it in.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="ArgumentNullException"><paramref name="repository"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The repository's unit of work was disposed.</exception>
    public Task<bool> AnyAsync(IRepository<T> repository, TArg argument, CancellationToken cancellationToken = default) =>
        _template.Bind(repository, new(argument)).AnyAsync(cancellationToken);

    /// <summary>The SQL a call with these arguments sends on <paramref name="repository"/>'s engine, as <see cref="Query{T}.ToSqlStatements"/> lists it, joined as <see cref="Query{T}.ToSql"/> joins it.</summary>
    /// <param name="repository">The repository whose engine writes the SQL.</param>
    /// <param name="argument">The argument: becomes the parameter(s) the lambda uses it in.</param>
    /// <exception cref="ArgumentNullException"><paramref name="repository"/> is null.</exception>
    /// <exception cref="NotSupportedException">A predicate cannot be translated.</exception>
    public string ToSql(IRepository<T> repository, TArg argument) => _template.Bind(repository, new(argument)).ToSql();
}
