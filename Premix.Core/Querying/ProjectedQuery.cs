using System.Linq.Expressions;

namespace Premix;

/// <summary>A query projected with Select: its rows are <typeparamref name="TResult"/> built from the selected columns only.</summary>
/// <typeparam name="T">The queried entity.</typeparam>
/// <typeparam name="TResult">The projected type.</typeparam>
public sealed class ProjectedQuery<T, TResult>
    where T : class
{
    private readonly Query<T> _query;
    private readonly Expression<Func<T, TResult>> _selector;

    internal ProjectedQuery(Query<T> query, Expression<Func<T, TResult>> selector)
    {
        _query = query;
        _selector = selector;
    }

    /// <summary>The SQL this projection sends.</summary>
    /// <exception cref="NotSupportedException">The selector does more than read mapped columns into an object.</exception>
    public string ToSql() => _query.ProjectionSql(_selector);

    /// <summary>Runs the query and returns every projected row.</summary>
    public async Task<IReadOnlyList<TResult>> ToListAsync(CancellationToken cancellationToken = default) =>
        await _query.ReadProjectedAsync<TResult>(_selector, null, cancellationToken).ConfigureAwait(false);

    /// <summary>Returns the first projected row, or the default of <typeparamref name="TResult"/>.</summary>
    public async Task<TResult?> FirstOrDefaultAsync(CancellationToken cancellationToken = default)
    {
        var rows = await _query.ReadProjectedAsync<TResult>(_selector, 1, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? default : rows[0];
    }

    /// <summary>Returns the first projected row.</summary>
    /// <exception cref="InvalidOperationException">There is no row.</exception>
    public async Task<TResult> FirstAsync(CancellationToken cancellationToken = default)
    {
        var rows = await _query.ReadProjectedAsync<TResult>(_selector, 1, cancellationToken).ConfigureAwait(false);
        return rows.Count == 1 ? rows[0] : throw new InvalidOperationException($"The query on {typeof(T).Name} returned no row; use FirstOrDefaultAsync when none may match.");
    }
}
