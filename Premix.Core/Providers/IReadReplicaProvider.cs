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
    /// How the engine writes its positions, the prefix of a <see cref="ReadYourWritesToken"/>'s text: <c>lsn</c>
    /// (PostgreSQL's WAL positions, <c>16/B374D848</c>; the default) or <c>gtid</c> (MariaDB's GTID lists, <c>0-1-1234</c>).
    /// No other value is accepted: <c>WithReadReplicas</c> refuses it when the Premix is built.
    /// </summary>
    string PositionScheme => "lsn";

    /// <summary>
    /// A statement sent right after COMMIT, in the same round trip, on the same connection: its one row and column is the
    /// primary's position as text (PostgreSQL: <c>pg_current_wal_insert_lsn()</c>, which covers the commit record even
    /// under <c>synchronous_commit=off</c>; MariaDB: <c>@@last_gtid</c>, the GTID of this session's commit). An empty
    /// text means the session wrote nothing the replicas must wait for.
    /// </summary>
    string CommitPositionSql { get; }

    /// <summary>A statement run on a replica that returns its status, which <see cref="ReadReplicaStatus"/> reads.</summary>
    string ReplicaStatusSql { get; }

    /// <summary>
    /// Reads the answer of <see cref="ReplicaStatusSql"/>, on its first row: the position the server has replayed as text
    /// (<see langword="null"/> when it is not a replica), and its lag in seconds: -1 when it receives nothing from its
    /// primary (cut off, it may be behind by any amount), <see cref="double.PositiveInfinity"/> when it receives but does
    /// not apply (replay stopped). By default, the first column is the position (NULL: not a replica) and the second the
    /// lag (NULL: 0).
    /// </summary>
    (string? Position, double Lag) ReadReplicaStatus(System.Data.Common.DbDataReader reader) =>
        (reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? 0d : reader.GetDouble(1));

    /// <summary>
    /// Whether <paramref name="error"/>, thrown by the batch of COMMIT and <see cref="CommitPositionSql"/>, can only have come
    /// from the position's statement, so COMMIT landed. Drivers that throw such an error before the batch's first result is
    /// read (Npgsql, MySqlConnector) do not say which statement failed; by default none is told apart, and the commit is
    /// reported as failed. MariaDB: error 1193, an unknown variable (a MySQL server has no <c>@@last_gtid</c>). That is how a
    /// primary that cannot give positions is told apart: by what it answers, never by the version it announces (a proxy
    /// such as ProxySQL announces its own in front of MariaDB).
    /// </summary>
    bool IsPositionReadFailure(Exception error) => false;

    /// <summary>Whether <paramref name="error"/> says a write reached a read-only session (PostgreSQL: SQLSTATE 25006; MariaDB: error 1792 or 1290).</summary>
    bool IsReadOnlyRefusal(Exception error);

    /// <summary>
    /// Whether <paramref name="error"/>, thrown by a statement, says the statement ran out of its time (its command
    /// timeout): the server did not answer in time. By default, whether a <see cref="TimeoutException"/> is among its
    /// causes (Npgsql's form); MySqlConnector reports it as error <c>CommandTimeoutExpired</c>.
    /// </summary>
    bool IsCommandTimeout(Exception error)
    {
        for (var cause = error; cause is not null; cause = cause.InnerException)
        {
            if (cause is TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
