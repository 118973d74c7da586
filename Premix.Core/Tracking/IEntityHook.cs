namespace Premix;

/// <summary>
/// A lifecycle hook registered in dependency injection, for hooks that need services (a clock, the current user).
/// Implement only the methods you need; the others do nothing.
/// </summary>
/// <remarks>
/// Before-hooks run inside the commit, before any SQL, after the hooks declared in the mapping; a change they make is
/// saved. After-hooks run once the transaction has committed.
/// </remarks>
/// <typeparam name="T">The entity type.</typeparam>
public interface IEntityHook<in T>
    where T : class
{
    /// <summary>Runs before <paramref name="entity"/> is inserted.</summary>
    ValueTask BeforeInsertAsync(T entity, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Runs after the insert of <paramref name="entity"/> has committed.</summary>
    ValueTask AfterInsertAsync(T entity, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Runs before <paramref name="entity"/> is updated.</summary>
    ValueTask BeforeUpdateAsync(T entity, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Runs after the update of <paramref name="entity"/> has committed.</summary>
    ValueTask AfterUpdateAsync(T entity, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Runs before <paramref name="entity"/> is deleted.</summary>
    ValueTask BeforeDeleteAsync(T entity, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Runs after the delete of <paramref name="entity"/> has committed.</summary>
    ValueTask AfterDeleteAsync(T entity, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
