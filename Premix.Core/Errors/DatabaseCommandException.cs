namespace Premix;

/// <summary>
/// A statement failed in the database or its driver. The driver's exception is kept as <see cref="Exception.InnerException"/>
/// (or, when its message held a sensitive value, a <see cref="RedactedDatabaseException"/> with the value masked; none when
/// Premix refused the statement before sending it, because it was larger than the engine's server accepts); the message
/// names the operation, the entity and the SQL (which holds parameter placeholders, never values). A unique or
/// foreign-key violation is thrown as the derived <see cref="UniqueConstraintException"/> or
/// <see cref="ForeignKeyViolationException"/>, so a <c>catch (DatabaseCommandException)</c> still sees it.
/// </summary>
public class DatabaseCommandException : PremixException
{
    /// <summary>Creates the exception for a failed statement.</summary>
    public DatabaseCommandException(string operation, string? entity, string sql, string reason, Exception innerException)
        : this(operation, entity, sql, reason, innerException, Providers.DatabaseErrorKind.Permanent)
    {
    }

    /// <summary>Creates the exception for a failed statement, with what its error means for trying again.</summary>
    public DatabaseCommandException(string operation, string? entity, string sql, string reason, Exception innerException, Providers.DatabaseErrorKind errorKind)
        : base(Describe(operation, entity, sql, reason), innerException)
    {
        Operation = operation;
        Entity = entity;
        Sql = sql;
        ErrorKind = errorKind;
    }

    /// <summary>
    /// Creates the exception for a statement Premix refused before sending it (one larger than the engine's server
    /// accepts): there is no driver error, and trying again would fail the same way.
    /// </summary>
    internal DatabaseCommandException(string operation, string? entity, string sql, string reason)
        : base(Describe(operation, entity, sql, reason))
    {
        Operation = operation;
        Entity = entity;
        Sql = sql;
        ErrorKind = Providers.DatabaseErrorKind.Permanent;
    }

    /// <summary>What the error means for trying again, as the engine's provider classifies it.</summary>
    public Providers.DatabaseErrorKind ErrorKind { get; }

    /// <summary>
    /// Whether the provider read the driver's error as no server taking the statement for now, nothing of it reached one
    /// (<see cref="Providers.IDatabaseProvider.IsServerUnavailable"/>: PgBouncer with no server behind it). Read when the
    /// exception is made, from the driver's own exception: the <see cref="RedactedDatabaseException"/> that stands in for it
    /// when its message held a value is not of the driver's type.
    /// </summary>
    internal bool ServerUnavailable { get; init; }

    /// <summary>Whether trying again may succeed (a deadlock, a serialization failure, a lost connection).</summary>
    public bool IsTransient => ErrorKind != Providers.DatabaseErrorKind.Permanent;

    /// <summary>The operation that failed (<c>Insert</c>, <c>SelectByKey</c>, <c>Raw</c>, ...).</summary>
    public string Operation { get; }

    /// <summary>The entity concerned, if the statement belongs to a mapped entity.</summary>
    public string? Entity { get; }

    /// <summary>The SQL text of the statement.</summary>
    public string Sql { get; }

    /// <summary>
    /// The error of the ROLLBACK Premix sent after this statement failed, when that failed too (typically because the
    /// failure broke the connection); <see langword="null"/> when the rollback succeeded or none was needed.
    /// </summary>
    /// <remarks>
    /// The statement's error is the one thrown: a rollback that fails never replaces it. Either way nothing of the
    /// transaction was committed, and the connection was discarded, so the next statement runs on a new one.
    /// </remarks>
    public Exception? RollbackError { get; internal set; }

    private static string Describe(string operation, string? entity, string sql, string reason) =>
        $"{operation}{(entity is null ? string.Empty : " of " + entity)} failed: {reason}{Environment.NewLine}SQL: {sql}";
}
