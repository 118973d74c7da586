using System.Linq.Expressions;

namespace Premix.Querying;

/// <summary>
/// Runs the queries of a <see cref="Query{T}"/> somewhere other than a database: the seam through which Premix.Testing's
/// recording fake serves them from memory. Query&lt;T&gt; first translates every query as it would for the database, so a
/// runner is only ever given what SQL translation accepts.
/// </summary>
internal interface IQueryRunner
{
    /// <summary>The model and plans the queries are over (and the dialect their <c>ToSql()</c> shows).</summary>
    PremixRuntime Runtime { get; }

    /// <summary>The tenant bound to a tenant column's filter (<c>HasTenantColumn</c>), as a unit of work's executor binds it; null without one.</summary>
    string? ColumnTenant { get; }

    /// <summary>The matching rows, tracked unless the model says otherwise, with the model's Include paths loaded.</summary>
    /// <param name="model">The query.</param>
    /// <param name="take">The model's Take replaced (the 1 row of FirstOrDefault, the 2 of Single) without a copy of the model; null: the model's.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<List<T>> RowsAsync<T>(QueryModel model, int? take, CancellationToken cancellationToken)
        where T : class;

    /// <summary>The matching rows projected by <paramref name="selector"/>, untracked.</summary>
    /// <param name="model">The query.</param>
    /// <param name="take">The model's Take replaced, as in <see cref="RowsAsync"/>; null: the model's.</param>
    /// <param name="selector">The projection.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<List<TResult>> ProjectAsync<T, TResult>(QueryModel model, int? take, LambdaExpression selector, CancellationToken cancellationToken)
        where T : class;

    /// <summary>How many rows match (counting the page when the model has one).</summary>
    Task<long> CountAsync<T>(QueryModel model, CancellationToken cancellationToken)
        where T : class;

    /// <summary>Runs a bulk <see cref="QueryOperation.Delete"/>, <see cref="QueryOperation.HardDelete"/> or <see cref="QueryOperation.Update"/> (with its assignments) and returns the rows it changed.</summary>
    Task<int> BulkAsync<T>(QueryOperation operation, QueryModel model, LambdaExpression? assignments, CancellationToken cancellationToken)
        where T : class;
}
