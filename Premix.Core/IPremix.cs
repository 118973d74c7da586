using System.Data;
using Premix.Mapping;
using Premix.Plans;
using Premix.Providers;

namespace Premix;

/// <summary>
/// The entry point of Premix for an application: units of work, raw SQL, and the compiled plans. One instance per
/// database, shared by all threads (a singleton in dependency injection).
/// </summary>
/// <remarks>
/// Disposing it disposes the provider Premix created (the driver's data source and its pooled connections); a provider
/// given ready-made with <c>UseProvider(provider)</c> stays open. Dependency injection disposes the singleton with the
/// container.
/// </remarks>
public interface IPremix : IAsyncDisposable, IDisposable
{
    /// <summary>The validated model.</summary>
    Model Model { get; }

    /// <summary>The database provider.</summary>
    IDatabaseProvider Provider { get; }

    /// <summary>
    /// The connection settings in effect: the environment detected and the pool size, idle lifetime and timeouts chosen
    /// for it (docs/configuration.md); null when the provider was given ready-made.
    /// </summary>
    ConnectionSettings? Connections { get; }

    /// <summary>Every compiled plan, one per entity, in model order.</summary>
    IReadOnlyList<EntityPlan> Plans { get; }

    /// <summary>Starts an explicit unit of work, outside dependency-injection scopes: <c>await using var uow = premix.BeginUnitOfWork();</c>.</summary>
    /// <param name="isolationLevel">The isolation level of its transaction; the engine's default (read committed on PostgreSQL, repeatable read on MySQL, serializable on SQLite) when unspecified.</param>
    IUnitOfWork BeginUnitOfWork(IsolationLevel isolationLevel = IsolationLevel.Unspecified);

    /// <summary>A raw SQL statement run on a pooled connection of its own.</summary>
    /// <param name="sql">The SQL, with parameters written <c>@name</c>.</param>
    /// <param name="args">An object whose properties are the parameters (<c>new { since }</c>); never concatenate values into <paramref name="sql"/>.</param>
    RawQuery Raw(string sql, object? args = null);

    /// <summary>The compiled plan of <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not mapped.</exception>
    EntityPlan GetPlan<T>()
        where T : class;

    /// <summary>Every statement of every plan, as sent to the database: what Premix will run, readable before it runs.</summary>
    string DescribePlans();
}
