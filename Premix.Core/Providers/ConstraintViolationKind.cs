namespace Premix.Providers;

/// <summary>Which kind of constraint a statement violated, as the engine's provider reads its error.</summary>
public enum ConstraintViolationKind
{
    /// <summary>A unique index, unique constraint or primary key refused a duplicate.</summary>
    Unique,

    /// <summary>A foreign key refused a reference to a missing row, or the deletion of a referenced one.</summary>
    ForeignKey,
}
