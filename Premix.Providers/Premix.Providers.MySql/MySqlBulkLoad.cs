using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using MySqlConnector;

namespace Premix.Providers.MySql;

/// <summary>
/// The bulk insert of one table through <c>MySqlBulkCopy</c> (<c>LOAD DATA LOCAL INFILE</c>, its rows streamed from the
/// entities), on the commit's connection and in its transaction. It needs <c>AllowLoadLocalInfile=true</c> (and not
/// <c>No Backslash Escapes=true</c>) in the connection string and the server's <c>local_infile</c> ON: the first commit
/// that would use it on a table checks them, once, with the columns' types; failing one, the entity keeps the many-row INSERT. Rows go as text: binary columns
/// as hex through <c>UNHEX</c>, <c>BIT</c> through <c>CAST</c>. <c>LOAD DATA LOCAL</c> turns a refused value or a
/// duplicate key into a warning and goes on, even in strict mode, so any warning (<c>@@warning_count</c>, read after the
/// load), or fewer rows stored than sent, fails the commit (<see cref="MySqlBulkLoadException"/>), whose transaction then undoes the rows.
/// </summary>
internal sealed partial class MySqlBulkLoad : IBulkInsertTable
{
    private readonly string _table;
    private readonly BulkInsertColumn[] _columns;
    private readonly Func<object, object>[] _reads;
    private Described? _described;

    public MySqlBulkLoad(string table, IReadOnlyList<BulkInsertColumn> columns)
    {
        _table = table;
        _columns = [.. columns];
        _reads = [.. _columns.Select(c => c.Read)];
        Sql = $"LOAD DATA LOCAL INFILE (MySqlBulkCopy) INTO TABLE {table} ({string.Join(", ", _columns.Select(c => c.QuotedName))})";
        DescribeSql = $"SELECT @@local_infile; SELECT * FROM {table} WHERE 1 = 0";
    }

    /// <inheritdoc />
    public string Sql { get; }

    /// <inheritdoc />
    public string DescribeSql { get; }

    /// <inheritdoc />
    public bool IsDescribed => Volatile.Read(ref _described) is not null;

    /// <inheritdoc />
    public bool CanWrite => Volatile.Read(ref _described) is not { } described || described.Mappings is not null;

    /// <inheritdoc />
    /// <remarks>Only generated keys are taken first, and rows with one keep the many-row INSERT (see <see cref="MySqlDialect.BulkInsert"/>).</remarks>
    public string? KeysSql => null;

    /// <inheritdoc />
    /// <remarks>Warnings arrive only after the rows are in: without a transaction they could not be taken back.</remarks>
    public bool NeedsTransaction => true;

    /// <inheritdoc />
    public async ValueTask<long> DescribeAsync(bool async, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // LOAD DATA's ESCAPED BY '\\' (as MySqlBulkCopy writes it) is two characters under NO_BACKSLASH_ESCAPES, which
        // Premix's sessions have exactly when the connection string says so (MySqlSessionMode): the server refuses the load.
        var settings = new MySqlConnectionStringBuilder(connection.ConnectionString);
        if (!settings.AllowLoadLocalInfile || settings.NoBackslashEscapes)
        {
            Volatile.Write(ref _described, new Described(null));
            return 0;
        }

        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = DescribeSql;
            command.Transaction = transaction;
            var reader = async ? await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteReader();
            await using (reader.ConfigureAwait(false))
            {
                var localInfile = (async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read()) && Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture) == 1;
                _ = async ? await reader.NextResultAsync(cancellationToken).ConfigureAwait(false) : reader.NextResult();
                var schema = reader.GetColumnSchema();
                Volatile.Write(ref _described, new Described(localInfile ? Mappings(schema) : null));
                return schema.Count;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<long> WriteAsync(bool async, DbConnection connection, DbTransaction? transaction, IReadOnlyList<object> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        var mySql = connection as MySqlConnection
            ?? throw new PremixException($"MySqlBulkCopy needs a MySqlConnection; the commit's connection is a {connection?.GetType().Name}. Call DisableBulkInsert() to use a connection of another type.");
        var bulkCopy = new MySqlBulkCopy(mySql, transaction as MySqlTransaction) { DestinationTableName = _table };
        bulkCopy.ColumnMappings.AddRange(_described!.Mappings!);
        var warnings = new List<MySqlError>();
        void Collect(object sender, MySqlInfoMessageEventArgs e) => warnings.AddRange(e.Errors);
        mySql.InfoMessage += Collect;
        try
        {
            using var rows = new MySqlEntityRows(entities, _reads);
            var result = async ? await bulkCopy.WriteToServerAsync(rows, cancellationToken).ConfigureAwait(false) : bulkCopy.WriteToServer(rows);
            if (warnings.Count > 0 || result.RowsInserted != entities.Count)
            {
                throw Refused(warnings, entities.Count, warnings.Count);
            }

            // The warnings listed are at most max_error_count (none when it is 0); the count is exact.
            var count = await WarningCountAsync(async, mySql, transaction, cancellationToken).ConfigureAwait(false);
            return count == 0 ? result.RowsInserted : throw Refused(warnings, entities.Count, count);
        }
        catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.BulkCopyFailed && warnings.Count > 0)
        {
            throw Refused(warnings, entities.Count, warnings.Count); // fewer rows stored than sent: a duplicate key, skipped with a warning
        }
        finally
        {
            mySql.InfoMessage -= Collect;
        }
    }

    // Each column by name, in the entity's order; a binary column as hex through UNHEX and a BIT through CAST, as
    // MySqlBulkCopy would do itself only for the table's first columns. Null (the usual path) when a column is missing
    // or of a type the load cannot take: YEAR anywhere in the table (MySqlBulkCopy refuses the table), or a binary
    // column fed by a property that is not bytes (a Guid goes out as hex only under a Binary16 GuidFormat, as 36 characters
    // otherwise, which UNHEX would turn into NULL without a word: the INSERT path keeps the driver's own handling).
    private List<MySqlBulkCopyColumnMapping>? Mappings(IReadOnlyList<DbColumn> schema)
    {
        if (schema.Any(c => string.Equals(c.DataTypeName, "YEAR", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var mappings = new List<MySqlBulkCopyColumnMapping>(_columns.Length);
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = _columns[i];
            var server = schema.FirstOrDefault(c => string.Equals(c.ColumnName, column.Name, StringComparison.OrdinalIgnoreCase))
                ?? throw new PremixException($"Table {_table} has no column {column.Name}, which {column.Property.Name} is mapped to. Update the schema (SyncAsync or a migration) or the mapping.");
            var variable = "@premix_bulk_" + i.ToString(CultureInfo.InvariantCulture);
            var type = server.DataTypeName ?? string.Empty;
            if (type.Contains("BINARY", StringComparison.OrdinalIgnoreCase) || type.Contains("BLOB", StringComparison.OrdinalIgnoreCase))
            {
                var stored = ColumnTypes.StorageType(column.Property);
                if (stored != typeof(byte[]))
                {
                    return null;
                }

                mappings.Add(new MySqlBulkCopyColumnMapping(i, variable, $"{column.QuotedName} = UNHEX({variable})"));
            }
            else if (string.Equals(type, "BIT", StringComparison.OrdinalIgnoreCase))
            {
                mappings.Add(new MySqlBulkCopyColumnMapping(i, variable, $"{column.QuotedName} = CAST({variable} AS UNSIGNED)"));
            }
            else
            {
                mappings.Add(new MySqlBulkCopyColumnMapping(i, column.Name));
            }
        }

        return mappings;
    }

    private static async ValueTask<long> WarningCountAsync(bool async, MySqlConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var command = new MySqlCommand("SELECT @@warning_count", connection, transaction as MySqlTransaction);
        await using (command.ConfigureAwait(false))
        {
            var count = async ? await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteScalar();
            return Convert.ToInt64(count, CultureInfo.InvariantCulture);
        }
    }

    // The first warning as the load's error: a duplicate key with the server's message (masked like an INSERT's, see
    // MySqlConstraintErrors); anything else with a value the message may quote masked.
    private MySqlBulkLoadException Refused(List<MySqlError> warnings, int rows, long count)
    {
        if (warnings.Count == 0)
        {
            return new MySqlBulkLoadException(MySqlErrorCode.BulkCopyFailed, string.Create(
                CultureInfo.InvariantCulture,
                $"The bulk load of {rows} rows into {_table} was answered with {count} warning(s) that the server did not list (max_error_count), or stored another number of rows. LOAD DATA LOCAL stores a value it cannot take changed (or skips the row) instead of refusing it, so the commit is rolled back. Call DisableBulkInsert() to get the error an INSERT raises."));
        }

        var first = warnings[0];
        if (first.ErrorCode is MySqlErrorCode.DuplicateKeyEntry or MySqlErrorCode.DuplicateEntryWithKeyName)
        {
            return new MySqlBulkLoadException(first.ErrorCode, first.Message);
        }

        var message = QuotedValue().Replace(first.Message, "'***'");
        return new MySqlBulkLoadException(first.ErrorCode, string.Create(
            CultureInfo.InvariantCulture,
            $"The bulk load of {rows} rows into {_table} was answered with {count} warning(s), the first {(int)first.ErrorCode} ({first.Level}): {message}. LOAD DATA LOCAL stores such a value changed (or skips the row) instead of refusing it, even in strict mode; Premix never keeps a changed value, so the commit is rolled back. Correct the value or the column's type; DisableBulkInsert() gives the error an INSERT raises."));
    }

    // "Incorrect integer value: 'abc' for column `db`.`t`.`n` at row 1", "Truncated incorrect INTEGER value: 'abc'": any
    // single-quoted text is a value of the row (names are quoted with backticks).
    [GeneratedRegex(@"'(?:[^']|'')*'", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedValue();

    // What the first use read: how each column is loaded, or null when the load cannot take the table's rows.
    private sealed record Described(List<MySqlBulkCopyColumnMapping>? Mappings);
}
