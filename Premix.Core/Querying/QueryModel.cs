using System.Linq.Expressions;

namespace Premix.Querying;

/// <summary>What a <see cref="Query{T}"/> has been told so far. Immutable: each call returns a new model.</summary>
internal sealed record QueryModel(LambdaExpression[] Filters, Ordering[] Orderings, int? Skip, int? Take, bool Tracking, bool AllowUnsafe, DeletedRows Deleted = DeletedRows.Hidden)
{
    /// <summary>The Include paths: each a chain of navigations from the root entity. Loaded after the rows; not part of the SQL.</summary>
    public System.Reflection.PropertyInfo[][] Includes { get; init; } = [];

    /// <summary>The named query filters the query lifts (<c>IgnoreQueryFilter</c>), in call order.</summary>
    public string[] LiftedFilters { get; init; } = [];

    /// <summary>Whether the query lifts every filter that is not lifted only explicitly (<c>IgnoreQueryFilters()</c>).</summary>
    public bool LiftsAllFilters { get; init; }

    // Not [] (Array.Empty<Ordering>()): that is the framework's generic code over this value type, which ReadyToRun leaves
    // to the JIT at every start. Declared before Empty, which reads it.
#pragma warning disable CA1825 // the one empty array, made once
    private static readonly Ordering[] NoOrderings = new Ordering[0];
#pragma warning restore CA1825

    public static readonly QueryModel Empty = new([], NoOrderings, null, null, Tracking: true, AllowUnsafe: false);

    /// <summary>The model of a no-tracking repository's new query, made once.</summary>
    public static readonly QueryModel EmptyUntracked = Empty with { Tracking = false };
}

/// <summary>Which soft-deleted rows a query sees (for entities with a soft-delete marker).</summary>
internal enum DeletedRows
{
    Hidden,
    Included,
    Only,
}

/// <summary>One ORDER BY key.</summary>
internal readonly record struct Ordering(LambdaExpression Key, bool Descending);

/// <summary>What the SQL of a query does.</summary>
internal enum QueryOperation
{
    Rows,
    Count,
    Any,
    Delete,
    HardDelete,
    Update,
    Project,
}
