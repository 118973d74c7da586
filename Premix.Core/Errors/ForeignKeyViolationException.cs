using Premix.Providers;

namespace Premix;

/// <summary>
/// A foreign key refused a statement: a row referenced a row that does not exist, or a row still referenced by others
/// was deleted (or its key changed). Nothing of the statement was written (a commit was rolled back as a whole). The
/// message and the properties name the constraint, the table, the columns and the referenced table where the engine or
/// the mapping tells them (SQLite tells none of them), never a value.
/// </summary>
public sealed class ForeignKeyViolationException : DatabaseCommandException
{
    /// <summary>Creates the exception for a statement a foreign key refused.</summary>
    /// <param name="operation">The operation that failed (<c>Insert</c>, <c>DeleteAll</c>, <c>Raw</c>, <c>Commit</c> for a deferred check, ...).</param>
    /// <param name="entity">The entity concerned, if the statement belongs to a mapped entity.</param>
    /// <param name="sql">The statement's SQL (placeholders, never values).</param>
    /// <param name="violation">What the engine named: constraint, tables, columns, and its message with values masked.</param>
    /// <param name="innerException">The driver's exception, or a <see cref="RedactedDatabaseException"/> standing in for it.</param>
    public ForeignKeyViolationException(string operation, string? entity, string sql, ConstraintViolation violation, Exception innerException)
        : base(operation, entity, sql, Describe(violation ?? throw new ArgumentNullException(nameof(violation))), innerException, DatabaseErrorKind.Permanent)
    {
        ConstraintName = violation.Constraint;
        Table = violation.Table;
        Columns = violation.Columns;
        ReferencedTable = violation.ReferencedTable;
    }

    /// <summary>The foreign key, when the engine names it (PostgreSQL and MariaDB do; SQLite does not).</summary>
    public string? ConstraintName { get; }

    /// <summary>The referencing table (the one holding the foreign key), when known.</summary>
    public string? Table { get; }

    /// <summary>The foreign key's columns in <see cref="Table"/>, when known; empty otherwise.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The referenced table, when known.</summary>
    public string? ReferencedTable { get; }

    private static string Describe(ConstraintViolation v) =>
        $"a foreign key refused the row{ConstraintText.Where(v.Constraint, "foreign key", v.Table)}"
        + (v.Columns.Count == 0 ? string.Empty : $" on {ConstraintText.Columns(v.Columns, "columns")}")
        + (v.ReferencedTable is null ? string.Empty : $" referencing {v.ReferencedTable}")
        + ": the referenced row does not exist, or the row is still referenced. Write the referenced row first, or delete the referencing rows first. "
        + $"({v.MaskedMessage.TrimEnd('.')})";
}
