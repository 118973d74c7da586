namespace Premix.Providers.MySql;

/// <summary>MySQL's and MariaDB's bulk channel: <c>MySqlBulkCopy</c> (<see cref="MySqlBulkLoad"/>), for rows whose key is not generated.</summary>
public sealed partial class MySqlDialect : IBulkInsertDialect
{
    /// <inheritdoc />
    /// <remarks>MEASURED_REMARK</remarks>
    public int DefaultBulkInsertThreshold => 10_000;

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
