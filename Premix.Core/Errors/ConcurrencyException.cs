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

    // A subclass of a table-per-hierarchy mapping writes only rows of its own classes: the key may name a row of another one.
    internal ConcurrencyException(string operation, Type entityType, string key, Type hierarchyRoot)
        : base($"{operation} of {entityType.Name} with key {key} matched no row: no {entityType.Name} row of {hierarchyRoot.Name}'s table has that key (the row is of another class of the hierarchy, or was deleted), or it was changed by someone else since it was loaded. Nothing of this commit was written; load it through Repository<{hierarchyRoot.Name}>() to see which class it is.")
    {
        EntityType = entityType;
    }

    /// <summary>The entity type concerned.</summary>
    public Type EntityType { get; }
}
