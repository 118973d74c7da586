namespace Premix.AspNetCore;

/// <summary>
/// The <c>type</c> of each problem Premix writes (RFC 9457): <see cref="PremixProblemDetailsOptions.TypeBaseUri"/> followed
/// by one of these stable names, so clients can branch on the type rather than on the title or the status.
/// </summary>
public static class PremixProblemTypes
{
    /// <summary>404: no row has the requested key (<see cref="EntityNotFoundException"/>).</summary>
    public const string NotFound = "not-found";

    /// <summary>400: entities broke their mapping's rules; <c>errors</c> lists every failure by member (<see cref="ValidationException"/>).</summary>
    public const string Validation = "validation";

    /// <summary>400: the request named no tenant, with <c>UseTenants</c>: nothing ran (<see cref="TenantRequiredException"/>, docs/multi-tenancy.md).</summary>
    public const string TenantRequired = "tenant-required";

    /// <summary>409: the row was changed or deleted by someone else since it was loaded (<see cref="ConcurrencyException"/>).</summary>
    public const string Concurrency = "concurrency-conflict";

    /// <summary>409: another row already has the same value of a unique index or key (<see cref="UniqueConstraintException"/>).</summary>
    public const string UniqueConstraint = "unique-constraint";

    /// <summary>409: a foreign key refused the write (<see cref="ForeignKeyViolationException"/>).</summary>
    public const string ForeignKey = "foreign-key-violation";

    /// <summary>503 with <c>Retry-After</c>: no pooled connection became free in time (<see cref="ConnectionPoolExhaustedException"/>).</summary>
    public const string PoolExhausted = "connection-pool-exhausted";

    /// <summary>503 with <c>Retry-After</c>: the database failed for now, after Premix's own retries (a transient <see cref="DatabaseCommandException"/> or <see cref="DatabaseConnectionException"/>).</summary>
    public const string Unavailable = "database-unavailable";

    /// <summary>500, no <c>Retry-After</c>: the connection broke during COMMIT, the changes may or may not be saved (<see cref="CommitOutcomeUnknownException"/>).</summary>
    public const string CommitOutcomeUnknown = "commit-outcome-unknown";
}
