using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace Premix.Tracking;

/// <summary>Runs the hooks of each write: those declared in the mapping, then the <see cref="IEntityHook{T}"/> services.</summary>
internal sealed class HookRunner(IServiceProvider? services)
{
    private static readonly ConcurrentDictionary<Type, Func<IServiceProvider, WriteKind, bool, object, CancellationToken, ValueTask>> ServiceHooks = new();

    /// <summary>Runs the hooks of every operation; returns whether there was any hook to run.</summary>
    public async ValueTask<bool> RunAsync(List<WriteOperation> operations, bool before, CancellationToken cancellationToken)
    {
        var ran = false;
        Dictionary<Type, bool>? hasServiceHooks = null; // asked of the container once per type and commit, not per entity
        foreach (var operation in operations)
        {
            var entity = operation.Entry.Entity;
            var hooks = operation.Entry.Plan.Entity.Hooks;
            // A soft delete is a delete to the application; an upsert sends the entity as a new row, so its insert hooks run.
            var kind = operation.Kind switch { WriteKind.SoftDelete => WriteKind.Delete, WriteKind.Upsert => WriteKind.Insert, var other => other };
            var declared = (kind, before) switch
            {
                (WriteKind.Insert, true) => hooks.BeforeInsertHooks,
                (WriteKind.Insert, false) => hooks.AfterInsertHooks,
                (WriteKind.Update, true) => hooks.BeforeUpdateHooks,
                (WriteKind.Update, false) => hooks.AfterUpdateHooks,
                (WriteKind.Delete, true) => hooks.BeforeDeleteHooks,
                _ => hooks.AfterDeleteHooks,
            };
            for (var i = 0; i < declared.Count; i++) // no enumerator per entity
            {
                declared[i](entity);
                ran = true;
            }

            if (services is not null && HasServiceHooks(entity.GetType(), ref hasServiceHooks))
            {
                ran = true;
                var run = ServiceHooks.GetOrAdd(entity.GetType(), static type =>
                    typeof(HookRunner).GetMethod(nameof(RunServiceHooksAsync), System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!
                        .MakeGenericMethod(type).CreateDelegate<Func<IServiceProvider, WriteKind, bool, object, CancellationToken, ValueTask>>());
                await run(services, kind, before, entity, cancellationToken).ConfigureAwait(false);
            }
        }

        return ran;
    }

    private bool HasServiceHooks(Type type, ref Dictionary<Type, bool>? known)
    {
        known ??= [];
        if (!known.TryGetValue(type, out var has))
        {
            has = services!.GetService(typeof(IEnumerable<>).MakeGenericType(typeof(IEntityHook<>).MakeGenericType(type))) is IEnumerable<object> hooks && hooks.Any();
            known.Add(type, has);
        }

        return has;
    }

    private static async ValueTask RunServiceHooksAsync<T>(IServiceProvider services, WriteKind kind, bool before, object entity, CancellationToken cancellationToken)
        where T : class
    {
        foreach (var hook in services.GetServices<IEntityHook<T>>())
        {
            var typed = (T)entity;
            await ((kind, before) switch
            {
                (WriteKind.Insert, true) => hook.BeforeInsertAsync(typed, cancellationToken),
                (WriteKind.Insert, false) => hook.AfterInsertAsync(typed, cancellationToken),
                (WriteKind.Update, true) => hook.BeforeUpdateAsync(typed, cancellationToken),
                (WriteKind.Update, false) => hook.AfterUpdateAsync(typed, cancellationToken),
                (WriteKind.Delete, true) => hook.BeforeDeleteAsync(typed, cancellationToken),
                _ => hook.AfterDeleteAsync(typed, cancellationToken),
            }).ConfigureAwait(false);
        }
    }
}
