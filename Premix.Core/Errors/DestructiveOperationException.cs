namespace Premix;

/// <summary>
/// A bulk update or delete had no filter (or one that is always true) and would touch every row of the table. Thrown
/// before any SQL is sent.
/// </summary>
public sealed class DestructiveOperationException : PremixException
{
    /// <summary>Creates the exception for an unfiltered bulk operation on <paramref name="entityType"/>.</summary>
    public DestructiveOperationException(string operation, Type entityType)
        : base($"{operation} on {entityType?.Name} has no filter and would change every row of its table; nothing was sent. Add a Where(...) that selects the rows, or call .AllowUnsafe() before {operation} if every row is really meant.")
    {
        EntityType = entityType!;
    }

    /// <summary>The entity whose table was spared.</summary>
    public Type EntityType { get; }
}
