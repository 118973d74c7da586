namespace Premix.Providers;

/// <summary>
/// A provider whose engine has read replicas Premix can send reads to, and whose positions it can compare, so a read
/// that must see a commit goes only to a replica that has replayed it (docs/scale-out.md).
/// </summary>
public interface IReadReplicaProvider
{
    /// <summary>
    /// A provider for one read replica. Its connections must be read-only sessions, so that a write sent there by
    /// mistake fails loudly instead of landing anywhere.
    /// </summary>
    IDatabaseProvider CreateReadReplica(string connectionString, ConnectionSettings? settings);

    /// <summary>
    /// A statement sent right after COMMIT, in the same round trip, on the same connection: its one row and column is the
    /// primary's position as text (PostgreSQL: <c>pg_current_wal_insert_lsn()</c>, which covers the commit record even
    /// under <c>synchronous_commit=off</c>).
    /// </summary>
    string CommitPositionSql { get; }

    /// <summary>
    /// A statement run on a replica: one row of two columns, the position it has replayed as text (<see langword="null"/>
    /// when the server is not a replica) and its lag in seconds.
    /// </summary>
    string ReplicaStatusSql { get; }

    /// <summary>Whether <paramref name="error"/> says a write reached a read-only session (PostgreSQL: SQLSTATE 25006).</summary>
    bool IsReadOnlyRefusal(Exception error);
}
