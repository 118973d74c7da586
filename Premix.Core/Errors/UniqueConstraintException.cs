using Premix.Providers;

namespace Premix;

/// <summary>
/// A unique index, unique constraint or primary key refused a row: another row already has the same value. Nothing of
/// the statement was written (a commit was rolled back as a whole). The message and the properties name the constraint,
/// the table and the columns where the engine or the mapping tells them, and never a value of the row: the engine's own
/// text is masked (<c>Duplicate entry '***'</c>, <c>Key (email)=(***)</c>), sensitive column or not.
/// </summary>
public sealed class UniqueConstraintException : DatabaseCommandException
{
    /// <summary>Creates the exception for a statement a unique constraint refused.</summary>
    /// <param name="operation">The operation that failed (<c>Insert</c>, <c>UpdateAll</c>, <c>Raw</c>, ...).</param>
    /// <param name="entity">The entity concerned, if the statement belongs to a mapped entity.</param>
    /// <param name="sql">The statement's SQL (placeholders, never values).</param>
    /// <param name="violation">What the engine named: constraint, table, columns, and its message with values masked.</param>
    /// <param name="innerException">The driver's exception, or a <see cref="RedactedDatabaseException"/> standing in for it.</param>
    public UniqueConstraintException(string operation, string? entity, string sql, ConstraintViolation violation, Exception innerException)
        : base(operation, entity, sql, Describe(violation ?? throw new ArgumentNullException(nameof(violation))), innerException, DatabaseErrorKind.Permanent)
    {
        ConstraintName = violation.Constraint;
        Table = violation.Table;
        Columns = violation.Columns;
    }

    /// <summary>The unique index or constraint, when the engine names it (PostgreSQL and MariaDB do; SQLite does not).</summary>
    public string? ConstraintName { get; }

    /// <summary>The table whose row was refused, when known.</summary>
    public string? Table { get; }

    /// <summary>The constrained columns, when known; empty otherwise.</summary>
    public IReadOnlyList<string> Columns { get; }

    private static string Describe(ConstraintViolation v) =>
        $"another row already has the same {ConstraintText.Columns(v.Columns, "value")}{ConstraintText.Where(v.Constraint, "unique constraint", v.Table)}. "
        + $"Values are not shown. Look the existing row up, or use another value. ({v.MaskedMessage.TrimEnd('.')})";
}
