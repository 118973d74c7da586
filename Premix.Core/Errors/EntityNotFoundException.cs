namespace Premix;

/// <summary>Thrown by <c>GetAsync</c> when no row has the requested key. Use <c>FindAsync</c> when absence is expected.</summary>
public sealed class EntityNotFoundException : PremixException
{
    /// <summary>Creates the exception for an entity type and key.</summary>
    public EntityNotFoundException(Type entityType, object key)
        : base($"No {entityType?.Name} with key {key} exists. Use FindAsync to get null instead of an exception when the row may be absent.")
    {
        EntityType = entityType!;
        Key = key;
    }

    /// <summary>
    /// Creates the exception for an entity type and key read with query filters applied: the message names the filters
    /// (never their values), since one of them may hide a row that exists. <see langword="null"/> or empty: no filter applied.
    /// </summary>
    public EntityNotFoundException(Type entityType, object key, IReadOnlyList<string>? appliedFilters)
        : base(appliedFilters is null || appliedFilters.Count == 0
            ? $"No {entityType?.Name} with key {key} exists. Use FindAsync to get null instead of an exception when the row may be absent."
            : $"No {entityType?.Name} with key {key} is visible: no such row exists, or the query filter(s) {string.Join(", ", appliedFilters.Select(f => $"\"{f}\""))} applied to the read hide it. "
              + "Read it with Query().IgnoreQueryFilter(name) if it should be seen, or use FindAsync to get null instead of an exception when the row may be absent.")
    {
        EntityType = entityType!;
        Key = key;
        AppliedFilters = appliedFilters ?? [];
    }

    /// <summary>The names of the query filters the read applied (soft delete's too); empty when it applied none.</summary>
    public IReadOnlyList<string> AppliedFilters { get; } = [];

    /// <summary>The entity type that was requested.</summary>
    public Type EntityType { get; }

    /// <summary>The key that was not found.</summary>
    public object Key { get; }
}
