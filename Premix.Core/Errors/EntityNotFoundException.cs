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

    /// <summary>The entity type that was requested.</summary>
    public Type EntityType { get; }

    /// <summary>The key that was not found.</summary>
    public object Key { get; }
}
