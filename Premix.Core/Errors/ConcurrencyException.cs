namespace Premix;

/// <summary>
/// An update or delete matched no row: another writer changed or deleted it since it was loaded. The whole commit
/// was rolled back; reload the entity and try again.
/// </summary>
public sealed class ConcurrencyException : PremixException
{
    /// <summary>Creates the exception for the entity whose write matched no row.</summary>
    public ConcurrencyException(string operation, Type entityType, string key)
        : base($"{operation} of {entityType?.Name} with key {key} matched no row: it was deleted or changed by someone else since it was loaded. Nothing of this commit was written; reload it and retry.")
    {
        EntityType = entityType!;
    }

    /// <summary>The entity type concerned.</summary>
    public Type EntityType { get; }
}
