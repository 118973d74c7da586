using System.Data.Common;
using MySqlConnector;

namespace Premix.Providers.MySql;

/// <summary>What read replicas need on MariaDB: the GTID of the session's commit, and a replica's applied GTIDs and lag.</summary>
internal static class MySqlReadReplicas
{
    /// <summary>
    /// The GTID of this session's last commit, read right after COMMIT on the same connection: exactly the commit's, where
    /// <c>@@gtid_binlog_pos</c> would name the server's latest, maybe another session's later one. Empty when the session
    /// wrote nothing to the binlog. MariaDB only (MySQL has no <c>@@last_gtid</c>).
    /// </summary>
    public const string CommitPositionSql = "SELECT @@last_gtid";

    /// <summary>
    /// The replica's status, a row per replication connection (no row on a server that is not a replica); only this form
    /// has <c>Gtid_Slave_Pos</c>. The first row is read: its threads and lag stand for the server's (one connection in the
    /// usual setup). Needs the REPLICA MONITOR (or REPLICATION CLIENT, or SUPER) privilege.
    /// </summary>
    public const string ReplicaStatusSql = "SHOW ALL SLAVES STATUS";

    /// <summary>
    /// The GTIDs the server has applied from its primaries (<c>Gtid_Slave_Pos</c>, <c>@@gtid_slave_pos</c>: what <c>MASTER_GTID_WAIT</c> waits on) and the lag:
    /// -1 while the IO thread does not run (nothing is received: it may be behind by any amount), infinite while the SQL
    /// thread does not (nothing is applied), otherwise <c>Seconds_Behind_Master</c>.
    /// </summary>
    public static (string? Position, double Lag) ReadStatus(DbDataReader reader)
    {
        var position = reader.GetString(reader.GetOrdinal("Gtid_Slave_Pos"));
        var receiving = reader.GetString(reader.GetOrdinal("Slave_IO_Running")) == "Yes";
        var applying = reader.GetString(reader.GetOrdinal("Slave_SQL_Running")) == "Yes";
        var behind = reader.GetOrdinal("Seconds_Behind_Master");
        var lag = !receiving ? -1d : !applying || reader.IsDBNull(behind) ? double.PositiveInfinity : Convert.ToDouble(reader.GetValue(behind), System.Globalization.CultureInfo.InvariantCulture);
        return (position, lag);
    }

    /// <summary>
    /// Whether <paramref name="error"/> is the replica refusing a write: 1792 in the read-only session (a user with SUPER
    /// or READ ONLY ADMIN, whom <c>read_only</c> lets through), or 1290 from <c>read_only=ON</c> itself, which MariaDB checks
    /// first, before the session's read-only transaction, for every other user.
    /// </summary>
    public static bool IsReadOnlyRefusal(Exception error) => error is MySqlException
    {
        ErrorCode: MySqlErrorCode.CannotExecuteInReadOnlyTransaction or MySqlErrorCode.OptionPreventsStatement,
    };
}
