using Npgsql;

namespace Premix.Providers.PostgreSql;

/// <summary>What read replicas need on PostgreSQL: read-only sessions, the primary's position after COMMIT, a standby's replayed position and lag.</summary>
internal static class PostgreSqlReadReplicas
{
    /// <summary>
    /// The WAL insert position, read right after COMMIT: past the commit record. The flushed position
    /// (<c>pg_current_wal_lsn()</c>) may lag it under <c>synchronous_commit=off</c>.
    /// </summary>
    public const string CommitPositionSql = "SELECT pg_current_wal_insert_lsn()::text";

    /// <summary>
    /// The replayed position (NULL on a server not in recovery) and the lag in seconds: the time since the last replayed
    /// transaction, counted only while WAL received is still waiting to be replayed, so an idle primary is no lag; -1 when
    /// no WAL receiver runs (the stream is down: a standby cut off from its primary would otherwise report no lag forever).
    /// Only the receiver's pid is visible without pg_read_all_stats, so its row's existence is what is checked.
    /// </summary>
    public const string ReplicaStatusSql =
        "SELECT pg_last_wal_replay_lsn()::text, CASE WHEN NOT EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE pid IS NOT NULL) THEN -1 "
        + "WHEN pg_last_wal_receive_lsn() IS NULL OR pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0 "
        + "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END::float8";

    /// <summary><paramref name="connectionString"/> with every session read-only (<c>default_transaction_read_only=on</c>, added to its Options).</summary>
    public static string ReadOnly(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? "-c default_transaction_read_only=on" : builder.Options + " -c default_transaction_read_only=on";
        return builder.ConnectionString;
    }
}
