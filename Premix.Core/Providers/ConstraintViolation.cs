namespace Premix.Providers;

/// <summary>
/// What a provider reads from a driver's error that is a unique or foreign-key violation
/// (<see cref="IDatabaseProvider.DescribeConstraintViolation"/>): what the engine names, and its message with every
/// value masked.
/// </summary>
/// <param name="Kind">Unique or foreign key.</param>
/// <param name="Constraint">The constraint or index name, when the engine gives it (SQLite never does).</param>
/// <param name="Table">The table whose row was refused (for a foreign key, the referencing table), when the engine gives it.</param>
/// <param name="Columns">The constrained columns, when the engine gives them; empty otherwise.</param>
/// <param name="MaskedMessage">
/// The driver's message with every value of the row replaced by <c>***</c> (MariaDB's <c>Duplicate entry '...'</c>,
/// PostgreSQL's <c>DETAIL: Key (...)=(...)</c>): the engine's text cannot be matched to sensitive columns reliably (it
/// truncates and reformats values), so no value of it is shown.
/// </param>
public sealed record ConstraintViolation(ConstraintViolationKind Kind, string? Constraint, string? Table, IReadOnlyList<string> Columns, string MaskedMessage)
{
    /// <summary>For a foreign key, the referenced table, when the engine gives it.</summary>
    public string? ReferencedTable { get; init; }
}
