using Microsoft.Extensions.Logging;

namespace Premix;

/// <summary>The stable event ids of Premix log events, for filtering and alerting.</summary>
public static class PremixEventId
{
    /// <summary>A statement ran (Debug): operation, entity, elapsed time, parameters (when enabled, masked) and SQL.</summary>
    public static readonly EventId CommandExecuted = new(1000, nameof(CommandExecuted));

    /// <summary>A statement failed (Error): operation, entity, reason and SQL.</summary>
    public static readonly EventId CommandFailed = new(1001, nameof(CommandFailed));

    /// <summary>
    /// The server refused to prepare a read run again on a held connection (Warning), with its reason: that database's
    /// reads run unprepared from then on (MariaDB/MySQL's <c>max_prepared_stmt_count</c> reached, or a proxy without
    /// prepared statements).
    /// </summary>
    public static readonly EventId PrepareRefused = new(1002, nameof(PrepareRefused));

    /// <summary>A unit of work committed (Debug): how many rows were inserted, updated and deleted.</summary>
    public static readonly EventId Committed = new(1100, nameof(Committed));

    /// <summary>A unit of work rolled back (Warning) after an error.</summary>
    public static readonly EventId RolledBack = new(1101, nameof(RolledBack));

    /// <summary>
    /// The rollback after a failed commit failed too (Warning), usually because the first failure broke the connection:
    /// the connection was discarded, and the first error is the one thrown (with this one as its
    /// <see cref="DatabaseCommandException.RollbackError"/>).
    /// </summary>
    public static readonly EventId RollbackFailed = new(1103, nameof(RollbackFailed));

    /// <summary>At startup (Information): the environment detected and the pool size, idle lifetime and timeouts chosen for it.</summary>
    public static readonly EventId ConnectionSettingsChosen = new(1200, nameof(ConnectionSettingsChosen));

    /// <summary>A commit hit a stale or deleted row (Warning), before it rolled back: entity type and key (masked if sensitive).</summary>
    public static readonly EventId ConcurrencyConflict = new(1102, nameof(ConcurrencyConflict));

    /// <summary>A read or commit failed with a transient error and is tried again after a delay (Warning): the operation, the retry number, the delay and the error.</summary>
    public static readonly EventId RetryScheduled = new(1300, nameof(RetryScheduled));

    /// <summary>The connection was lost while COMMIT was in flight (Error): whether the changes were saved is unknown unless the unit of work verifies it.</summary>
    public static readonly EventId CommitOutcomeUnknown = new(1301, nameof(CommitOutcomeUnknown));

    /// <summary>
    /// Premix.Testing's query recorder saw an N+1 (Warning, <c>NPlusOneMode.Warn</c>): the same SELECT run once per row from
    /// one call site in one unit of work; the message names the call site and the fix.
    /// </summary>
    public static readonly EventId NPlusOneDetected = new(1500, nameof(NPlusOneDetected));

    /// <summary>A read outside a transaction was routed (Debug), with read replicas configured: to a replica or the primary, its address, and why.</summary>
    public static readonly EventId ReadRouted = new(1600, nameof(ReadRouted));

    /// <summary>A read replica is skipped for a while (Warning): down, failed mid-read, lagging beyond MaxLag, or not a replica.</summary>
    public static readonly EventId ReplicaSkipped = new(1601, nameof(ReplicaSkipped));

    /// <summary>A commit landed but the primary's position could not be read after it (Warning): the unit of work's reads stay on the primary until its next commit.</summary>
    public static readonly EventId CommitPositionUnread = new(1602, nameof(CommitPositionUnread));

    /// <summary>
    /// A request was answered 400 <c>tenant-required</c> by <c>AddPremixProblemDetails</c> (Warning), with its method and path:
    /// a client that named no tenant, or a server-side fault (a resolver reading the wrong header or claim, work that lost
    /// the ambient tenant), which only the log tells apart.
    /// </summary>
    public static readonly EventId TenantRequiredAnswered = new(1700, nameof(TenantRequiredAnswered));
}
