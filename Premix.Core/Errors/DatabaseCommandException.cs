namespace Premix;

/// <summary>
/// A statement failed in the database or its driver. The driver's exception is kept as <see cref="Exception.InnerException"/>
/// (or, when its message held a sensitive value, a <see cref="RedactedDatabaseException"/> with the value masked); the
/// message names the operation, the entity and the SQL (which holds parameter placeholders, never values).
/// </summary>
public sealed class DatabaseCommandException : PremixException
{
    /// <summary>Creates the exception for a failed statement.</summary>
    public DatabaseCommandException(string operation, string? entity, string sql, string reason, Exception innerException)
        : base($"{operation}{(entity is null ? string.Empty : " of " + entity)} failed: {reason}{Environment.NewLine}SQL: {sql}", innerException)
    {
        Operation = operation;
        Entity = entity;
        Sql = sql;
    }

    /// <summary>The operation that failed (<c>Insert</c>, <c>SelectByKey</c>, <c>Raw</c>, ...).</summary>
    public string Operation { get; }

    /// <summary>The entity concerned, if the statement belongs to a mapped entity.</summary>
    public string? Entity { get; }

    /// <summary>The SQL text of the statement.</summary>
    public string Sql { get; }
}
