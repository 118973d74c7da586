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

    /// <summary>
    /// A raw SQL statement written as an interpolated string, run on a pooled connection of its own: every hole becomes a
    /// parameter (<c>premix.Raw($"SELECT ... WHERE name = {name}")</c>), so no value can change the SQL.
    /// </summary>
    /// <remarks>A statement is a write (never retried) unless marked <see cref="RawQuery.ReadOnly"/>.</remarks>
    RawQuery Raw(RawSql sql);

    /// <summary>
    /// A raw SQL statement given as verbatim text, run on a pooled connection of its own. The text is sent exactly as
    /// written: use a constant with <c>@name</c> placeholders and pass the values in <paramref name="args"/>.
    /// </summary>
    /// <param name="sql">The SQL, with parameters written <c>@name</c>; never built from values.</param>
    /// <param name="args">An object whose properties are the parameters (<c>new { since }</c>).</param>
    /// <remarks>An interpolated string with holes never reaches this overload: it binds to <see cref="Raw(RawSql)"/>.</remarks>
    RawQuery Raw(string sql, object? args = null);

    /// <summary>Not allowed: an interpolated string takes its values from its holes, not from an arguments object.</summary>
    [Obsolete("Raw($\"...\") turns every hole into a parameter and takes no arguments object: put each value in a hole, or use a constant SQL string with @name parameters and the arguments object.", error: true)]
    RawQuery Raw(RawSql sql, object? args);

    /// <summary>The compiled plan of <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not mapped.</exception>
    EntityPlan GetPlan<T>()
        where T : class;

    /// <summary>Every statement of every plan, as sent to the database: what Premix will run, readable before it runs.</summary>
    string DescribePlans();
}
