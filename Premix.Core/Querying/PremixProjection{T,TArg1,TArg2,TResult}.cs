using System.Linq.Expressions;
using Premix.Querying;

namespace Premix;

/// <summary>
/// A projection compiled with two arguments, made by <see cref="PremixQuery"/> from a lambda ending with <c>Select</c>: translated once
/// per engine and shape, run by a method that names the repository. Thread-safe: keep it in a <c>static readonly</c> field.
/// </summary>
/// <typeparam name="T">The queried entity.</typeparam>
/// <typeparam name="TArg1">The first argument.</typeparam>
/// <typeparam name="TArg2">The second argument.</typeparam>
/// <typeparam name="TResult">The projected type.</typeparam>
public sealed class PremixProjection<T, TArg1, TArg2, TResult>
    where T : class
{
    private readonly QueryTemplate<T, (TArg1, TArg2)> _template;
    private readonly Expression<Func<T, TResult>> _selector;

    internal PremixProjection(QueryTemplate<T, (TArg1, TArg2)> template)
    {
        _template = template;
        _selector = (Expression<Func<T, TResult>>)template.Selector!;
    }

    /// <summary>Runs the query and returns every projected row.</summary>
    /// <param name="repository">The repository to run on: its unit of work and transaction.</param>
    /// <param name="argument1">The first argument: becomes the parameter(s) the lambda uses it in.</param>
    /// <param name="argument2">The second argument: becomes the parameter(s) the lambda uses it in.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="ArgumentNullException"><paramref name="repository"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The repository's unit of work was disposed.</exception>
    public Task<IReadOnlyList<TResult>> ToListAsync(IRepository<T> repository, TArg1 argument1, TArg2 argument2, CancellationToken cancellationToken = default) =>
        Bind(repository, (argument1, argument2)).ToListAsync(cancellationToken);

    /// <summary>Returns the first projected row.</summary>
    /// <param name="repository">The repository to run on: its unit of work and transaction.</param>
    /// <param name="argument1">The first argument: becomes the parameter(s) the lambda uses it in.</param>
    /// <param name="argument2">The second argument: becomes the parameter(s) the lambda uses it in.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="ArgumentNullException"><paramref name="repository"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The repository's unit of work was disposed.</exception>
    /// <exception cref="InvalidOperationException">There is no row.</exception>
    public Task<TResult> FirstAsync(IRepository<T> repository, TArg1 argument1, TArg2 argument2, CancellationToken cancellationToken = default) =>
        Bind(repository, (argument1, argument2)).FirstAsync(cancellationToken);

    /// <summary>Returns the first projected row, or the default of <typeparamref name="TResult"/>.</summary>
    /// <param name="repository">The repository to run on: its unit of work and transaction.</param>
    /// <param name="argument1">The first argument: becomes the parameter(s) the lambda uses it in.</param>
    /// <param name="argument2">The second argument: becomes the parameter(s) the lambda uses it in.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="ArgumentNullException"><paramref name="repository"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The repository's unit of work was disposed.</exception>
    public Task<TResult?> FirstOrDefaultAsync(IRepository<T> repository, TArg1 argument1, TArg2 argument2, CancellationToken cancellationToken = default) =>
        Bind(repository, (argument1, argument2)).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The SQL a call with these arguments sends on <paramref name="repository"/>'s engine.</summary>
    /// <param name="repository">The repository whose engine writes the SQL.</param>
    /// <param name="argument1">The first argument: becomes the parameter(s) the lambda uses it in.</param>
    /// <param name="argument2">The second argument: becomes the parameter(s) the lambda uses it in.</param>
    /// <exception cref="ArgumentNullException"><paramref name="repository"/> is null.</exception>
    /// <exception cref="NotSupportedException">A predicate or the selector cannot be translated.</exception>
    public string ToSql(IRepository<T> repository, TArg1 argument1, TArg2 argument2) => Bind(repository, (argument1, argument2)).ToSql();

    private ProjectedQuery<T, TResult> Bind(IRepository<T> repository, (TArg1, TArg2) arguments) => new(_template.Bind(repository, arguments), _selector);
}
