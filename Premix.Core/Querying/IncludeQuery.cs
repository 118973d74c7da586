using System.Linq.Expressions;
using Premix.Querying;

namespace Premix;

/// <summary>A query right after an Include; its <typeparamref name="TProperty"/> (covariant) lets ThenInclude see a collection's element type.</summary>
/// <typeparam name="T">The root entity.</typeparam>
/// <typeparam name="TProperty">The navigation the last Include loaded.</typeparam>
public interface IIncludeQuery<T, out TProperty>
    where T : class
{
}

/// <summary>A query right after an Include: <c>ThenInclude</c> loads the next level.</summary>
/// <typeparam name="T">The root entity.</typeparam>
/// <typeparam name="TProperty">The navigation the last Include loaded.</typeparam>
public sealed class IncludeQuery<T, TProperty> : Query<T>, IIncludeQuery<T, TProperty>
    where T : class
{
    /// <summary><paramref name="query"/> copied with <paramref name="model"/> (its Include paths extended), as every operator copies a query.</summary>
    internal IncludeQuery(Query<T> query, QueryModel model)
        : base(query, model)
    {
    }
}

/// <summary>ThenInclude, as extensions so the compiler can tell a collection navigation from a parent navigation.</summary>
public static class IncludeQueryExtensions
{
    /// <summary>Loads a relation of each element of the collection the last Include loaded, with one more query.</summary>
    public static IncludeQuery<T, TNext> ThenInclude<T, TPrevious, TNext>(this IIncludeQuery<T, IEnumerable<TPrevious>> query, Expression<Func<TPrevious, TNext>> navigation)
        where T : class => ((Query<T>)query).ThenIncludeNavigation<TNext>(navigation);

    /// <summary>Loads a relation of the parent the last Include loaded, with one more query.</summary>
    public static IncludeQuery<T, TNext> ThenInclude<T, TPrevious, TNext>(this IIncludeQuery<T, TPrevious> query, Expression<Func<TPrevious, TNext>> navigation)
        where T : class => ((Query<T>)query).ThenIncludeNavigation<TNext>(navigation);
}
