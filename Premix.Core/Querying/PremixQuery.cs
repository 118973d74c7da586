using System.Linq.Expressions;
using Premix.Querying;

namespace Premix;

/// <summary>
/// Compiles a query once, for many calls: <c>static readonly PremixQuery&lt;Customer, string&gt; ByEmail =
/// PremixQuery.Compile((Query&lt;Customer&gt; q, string email) =&gt; q.Where(c =&gt; c.Email == email));</c> then
/// <c>await ByEmail.FirstOrDefaultAsync(customers, email, ct)</c>. The lambda's arguments become SQL parameters. A call
/// builds no expression tree and looks up no expression shape: the SQL is translated on first use per engine and shape,
/// and each call only computes and binds its values. Like EF Core's <c>EF.CompileAsyncQuery</c>, for hot paths; the result
/// is thread-safe, meant for a <c>static readonly</c> field.
/// </summary>
/// <remarks>
/// The lambda may chain <c>Where</c>, <c>OrderBy</c>/<c>OrderByDescending</c>/<c>ThenBy</c>/<c>ThenByDescending</c>,
/// <c>Skip</c>/<c>Take</c> (a constant or computed from the arguments), <c>Include</c>/<c>ThenInclude</c>,
/// <c>AsNoTracking</c>, <c>WithDeleted</c> and <c>OnlyDeleted</c> on its <see cref="Query{T}"/> parameter, and end with one
/// <c>Select</c> (a <see cref="PremixProjection{T, TResult}"/>); it is run by
/// the compiled query's methods, on the repository each call names, with that repository's unit of work and tracking.
/// </remarks>
public static class PremixQuery
{
    /// <summary>Compiles a query without arguments.</summary>
    /// <exception cref="NotSupportedException">The lambda uses an operator a compiled query does not take (see the remarks of <see cref="PremixQuery"/>).</exception>
    /// <exception cref="ArgumentException">The lambda does not start from its query parameter.</exception>
    public static PremixQuery<T> Compile<T>(Expression<Func<Query<T>, Query<T>>> query)
        where T : class => new(new QueryTemplate<T, ValueTuple>(query, []));

    /// <summary>Compiles a query taking one argument, which becomes a parameter wherever the lambda uses it.</summary>
    /// <exception cref="NotSupportedException">The lambda uses an operator a compiled query does not take (see the remarks of <see cref="PremixQuery"/>).</exception>
    /// <exception cref="ArgumentException">The lambda does not start from its query parameter.</exception>
    public static PremixQuery<T, TArg> Compile<T, TArg>(Expression<Func<Query<T>, TArg, Query<T>>> query)
        where T : class => new(new QueryTemplate<T, ValueTuple<TArg>>(query, [Placeholder<TArg>.Read()]));

    /// <summary>Compiles a query taking two arguments.</summary>
    /// <exception cref="NotSupportedException">The lambda uses an operator a compiled query does not take (see the remarks of <see cref="PremixQuery"/>).</exception>
    /// <exception cref="ArgumentException">The lambda does not start from its query parameter.</exception>
    public static PremixQuery<T, TArg1, TArg2> Compile<T, TArg1, TArg2>(Expression<Func<Query<T>, TArg1, TArg2, Query<T>>> query)
        where T : class => new(new QueryTemplate<T, (TArg1, TArg2)>(query, [Placeholder<TArg1>.Read(), Placeholder<TArg2>.Read()]));

    /// <summary>Compiles a query taking three arguments (for more, pass a record or a tuple and use its members).</summary>
    /// <exception cref="NotSupportedException">The lambda uses an operator a compiled query does not take (see the remarks of <see cref="PremixQuery"/>).</exception>
    /// <exception cref="ArgumentException">The lambda does not start from its query parameter.</exception>
    public static PremixQuery<T, TArg1, TArg2, TArg3> Compile<T, TArg1, TArg2, TArg3>(Expression<Func<Query<T>, TArg1, TArg2, TArg3, Query<T>>> query)
        where T : class => new(new QueryTemplate<T, (TArg1, TArg2, TArg3)>(query, [Placeholder<TArg1>.Read(), Placeholder<TArg2>.Read(), Placeholder<TArg3>.Read()]));

    /// <summary>Compiles a projection without arguments: the lambda ends with <c>Select</c>.</summary>
    /// <exception cref="NotSupportedException">The lambda uses an operator a compiled query does not take (see the remarks of <see cref="PremixQuery"/>).</exception>
    /// <exception cref="ArgumentException">The lambda does not start from its query parameter.</exception>
    public static PremixProjection<T, TResult> Compile<T, TResult>(Expression<Func<Query<T>, ProjectedQuery<T, TResult>>> query)
        where T : class => new(new QueryTemplate<T, ValueTuple>(query, []));

    /// <summary>Compiles a projection taking one argument.</summary>
    /// <exception cref="NotSupportedException">The lambda uses an operator a compiled query does not take (see the remarks of <see cref="PremixQuery"/>).</exception>
    /// <exception cref="ArgumentException">The lambda does not start from its query parameter.</exception>
    public static PremixProjection<T, TArg, TResult> Compile<T, TArg, TResult>(Expression<Func<Query<T>, TArg, ProjectedQuery<T, TResult>>> query)
        where T : class => new(new QueryTemplate<T, ValueTuple<TArg>>(query, [Placeholder<TArg>.Read()]));

    /// <summary>Compiles a projection taking two arguments (for more, pass a record or a tuple and use its members).</summary>
    /// <exception cref="NotSupportedException">The lambda uses an operator a compiled query does not take (see the remarks of <see cref="PremixQuery"/>).</exception>
    /// <exception cref="ArgumentException">The lambda does not start from its query parameter.</exception>
    public static PremixProjection<T, TArg1, TArg2, TResult> Compile<T, TArg1, TArg2, TResult>(Expression<Func<Query<T>, TArg1, TArg2, ProjectedQuery<T, TResult>>> query)
        where T : class => new(new QueryTemplate<T, (TArg1, TArg2)>(query, [Placeholder<TArg1>.Read(), Placeholder<TArg2>.Read()]));
}
