namespace Premix.Mapping;

/// <summary>Lifecycle hooks declared in a mapping, run by the unit of work around each write.</summary>
public sealed class EntityHooks
{
    internal List<Action<object>> BeforeInsert { get; } = [];

    internal List<Action<object>> AfterInsert { get; } = [];

    internal List<Action<object>> BeforeUpdate { get; } = [];

    internal List<Action<object>> AfterUpdate { get; } = [];

    internal List<Action<object>> BeforeDelete { get; } = [];

    internal List<Action<object>> AfterDelete { get; } = [];

    /// <summary>The hooks of a base type followed by those of its subtypes, for a subtype of a table-per-hierarchy mapping.</summary>
    internal static EntityHooks Combine(IEnumerable<EntityHooks> baseFirst)
    {
        var hooks = new EntityHooks();
        foreach (var declared in baseFirst)
        {
            hooks.BeforeInsert.AddRange(declared.BeforeInsert);
            hooks.AfterInsert.AddRange(declared.AfterInsert);
            hooks.BeforeUpdate.AddRange(declared.BeforeUpdate);
            hooks.AfterUpdate.AddRange(declared.AfterUpdate);
            hooks.BeforeDelete.AddRange(declared.BeforeDelete);
            hooks.AfterDelete.AddRange(declared.AfterDelete);
        }

        return hooks;
    }

    /// <summary>Hooks run before an insert.</summary>
    public IReadOnlyList<Action<object>> BeforeInsertHooks => BeforeInsert;

    /// <summary>Hooks run after an insert has committed.</summary>
    public IReadOnlyList<Action<object>> AfterInsertHooks => AfterInsert;

    /// <summary>Hooks run before an update.</summary>
    public IReadOnlyList<Action<object>> BeforeUpdateHooks => BeforeUpdate;

    /// <summary>Hooks run after an update has committed.</summary>
    public IReadOnlyList<Action<object>> AfterUpdateHooks => AfterUpdate;

    /// <summary>Hooks run before a delete.</summary>
    public IReadOnlyList<Action<object>> BeforeDeleteHooks => BeforeDelete;

    /// <summary>Hooks run after a delete has committed.</summary>
    public IReadOnlyList<Action<object>> AfterDeleteHooks => AfterDelete;
}
