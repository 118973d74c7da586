using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace Premix.Tracking;

/// <summary>Runs the hooks of each write: those declared in the mapping, then the <see cref="IEntityHook{T}"/> services.</summary>
internal sealed class HookRunner(IServiceProvider? services)
{
    private static readonly ConcurrentDictionary<Type, Func<IServiceProvider, WriteKind, bool, object, CancellationToken, ValueTask>> ServiceHooks = new();

    public async ValueTask RunAsync(IEnumerable<WriteOperation> operations, bool before, CancellationToken cancellationToken)
    {
        foreach (var operation in operations)
        {
            var entity = operation.Entry.Entity;
            var hooks = operation.Entry.Plan.Entity.Hooks;
            var kind = operation.Kind == WriteKind.SoftDelete ? WriteKind.Delete : operation.Kind; // a soft delete is a delete to the application
            var declared = (kind, before) switch
            {
                (WriteKind.Insert, true) => hooks.BeforeInsertHooks,
                (WriteKind.Insert, false) => hooks.AfterInsertHooks,
                (WriteKind.Update, true) => hooks.BeforeUpdateHooks,
                (WriteKind.Update, false) => hooks.AfterUpdateHooks,
                (WriteKind.Delete, true) => hooks.BeforeDeleteHooks,
                _ => hooks.AfterDeleteHooks,
            };
            foreach (var hook in declared)
            {
                hook(entity);
            }

            if (services is not null)
            {
                var run = ServiceHooks.GetOrAdd(entity.GetType(), static type =>
                    typeof(HookRunner).GetMethod(nameof(RunServiceHooksAsync), System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!
                        .MakeGenericMethod(type).CreateDelegate<Func<IServiceProvider, WriteKind, bool, object, CancellationToken, ValueTask>>());
                await run(services, kind, before, entity, cancellationToken).ConfigureAwait(false);
            }
        }
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
