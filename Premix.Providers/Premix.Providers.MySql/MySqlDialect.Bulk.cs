namespace Premix.Providers.MySql;

/// <summary>MySQL's and MariaDB's bulk channel: <c>MySqlBulkCopy</c> (<see cref="MySqlBulkLoad"/>), for rows whose key is not generated.</summary>
public sealed partial class MySqlDialect : IBulkInsertDialect
{
    /// <inheritdoc />
    /// <remarks>
    /// 2000: measured on MariaDB 10.11 on loopback with an interleaved loop (a commit of N new rows of a five-column entity
    /// with assigned keys through the many-row INSERT and through MySqlBulkCopy, alternating call by call, medians of the
    /// pairs' ratios) on a heavily loaded 2-core machine (load average 30–38). The load cost 0.78–0.86× the INSERT at 1000
    /// rows, 0.80× at 2000, 0.59–0.65× from 5000 to 20,000 and 0.57–0.60× at 50,000 and 100,000; below 1000 and up to 2000
    /// the quartiles straddled 1 (at 1000: 0.40–1.21 and 0.67–1.26), from 5000 they stayed under 1.
    /// </remarks>
    public int DefaultBulkInsertThreshold => 2000;

    /// <inheritdoc />
    /// <remarks>
    /// Rows with a generated key keep the many-row <c>INSERT … RETURNING</c>: <c>LOAD DATA</c> returns no keys, and taking
    /// them first is not safe here. An <c>AUTO_INCREMENT</c> hands a load consecutive keys only under server settings a
    /// client cannot count on (<c>innodb_autoinc_lock_mode</c> below 2, <c>auto_increment_increment</c> 1), and only
    /// <c>LAST_INSERT_ID()</c>'s first key is reported; a SEQUENCE's <c>NEXTVAL</c> gives keys one call at a time, which is
    /// the round trip the bulk path saves, and only where the mapping names the sequence.
    /// </remarks>
    public IBulkInsertTable? BulkInsert(string table, IReadOnlyList<BulkInsertColumn> columns, BulkInsertColumn? generatedKey)
    {
        ArgumentNullException.ThrowIfNull(columns);
        return generatedKey is null && columns.Count > 0 ? new MySqlBulkLoad(table, columns) : null;
    }
}
