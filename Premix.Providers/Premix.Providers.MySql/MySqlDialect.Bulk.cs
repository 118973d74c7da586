namespace Premix.Providers.MySql;

/// <summary>MySQL's and MariaDB's bulk channel: <c>MySqlBulkCopy</c> (<see cref="MySqlBulkLoad"/>), for rows whose key is not generated.</summary>
public sealed partial class MySqlDialect : IBulkInsertDialect
{
    /// <inheritdoc />
    /// <remarks>
    /// 500: measured on MariaDB 10.11 on loopback with an interleaved loop (a commit of N new rows of a five-column entity
    /// with assigned keys through the many-row INSERT and through MySqlBulkCopy, alternating call by call, 40 pairs per N,
    /// medians of the pairs' ratios) on a quiet 2-core machine (server on one core, the loop on the other, load 0.4–0.8):
    /// the load cost 1.07–1.19× the INSERT up to 50 rows, 1.00× at 100 and 0.99× at 150 (quartiles straddling 1), 0.84–0.85×
    /// at 250, 0.80–0.81× at 500 (quartiles 0.72–0.96), 0.72–0.76× at 1000 and 0.58–0.82× from 2000 to 20,000. 500 keeps a
    /// margin over the crossing (100–150 rows). An earlier measurement under heavy load had put it near 2000.
    /// </remarks>
    public int DefaultBulkInsertThreshold => 500;

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
