using Premix.Mapping;

namespace Premix.Providers.Sqlite;

/// <summary>
/// SQLite's SQL: double-quoted identifiers, <c>RETURNING</c> for generated keys (SQLite 3.35+), and a type mapping that
/// keeps every value exact (decimals as text, dates as ISO-8601 text, GUIDs as 16-byte blobs).
/// </summary>
public sealed class SqliteDialect : ISqlDialect
{
    /// <inheritdoc />
    public string QuoteIdentifier(string identifier) => IdentifierQuoting.Quote(identifier, '"');

    /// <inheritdoc />
    public string Insert(string table, IReadOnlyList<string> columns, IReadOnlyList<string> parameters, string? generatedKey) =>
        InsertSql.WithReturning(table, columns, parameters, generatedKey, defaultValues: "DEFAULT VALUES");

    /// <inheritdoc />
    /// <remarks>Microsoft.Data.Sqlite has no DbBatch; a re-bound statement per row is SQLite's fastest path anyway.</remarks>
    public bool BatchesInsertsReturningKeys => false;

    /// <inheritdoc />
    /// <remarks>Microsoft.Data.Sqlite has no DbBatch.</remarks>
    public bool BatchReportsRowsPerStatement => false;

    /// <inheritdoc />
    /// <remarks>SQLite needs a LIMIT before an OFFSET; -1 means none.</remarks>
    public string Paging(bool skip, bool take) => (skip, take) switch
    {
        (true, true) => " LIMIT @__take OFFSET @__skip",
        (false, true) => " LIMIT @__take",
        (true, false) => " LIMIT -1 OFFSET @__skip",
        _ => string.Empty,
    };

    /// <inheritdoc />
    /// <remarks>Decimals are stored as exact text; queries compare and order them as REAL (double precision).</remarks>
    public (string ColumnSql, Func<object, object>? ValueConversion) Comparable(string columnSql, Type storageType) =>
        storageType == typeof(decimal) ? ($"CAST({columnSql} AS REAL)", static value => (double)(decimal)value) : (columnSql, null);

    /// <inheritdoc />
    /// <remarks>
    /// <c>column IN (SELECT value FROM json_each(@p))</c> with the list as one JSON text: one parameter whatever its length
    /// (SQLite allows 32,766, and Microsoft.Data.Sqlite finds each by name in turn), and SQLite builds a temporary index on
    /// the list's values to probe.
    /// </remarks>
    public ListCondition InList(string columnSql, PropertyModel property, string parameter) =>
        new($"{columnSql} IN (SELECT {(ColumnTypes.StorageType(property) == typeof(byte[]) ? "unhex(value)" : "value")} FROM json_each({parameter}))", SqliteJsonList.Write);

    /// <inheritdoc />
    public string ColumnType(PropertyModel property)
    {
        var type = ColumnTypes.StorageType(property);
        return type == typeof(bool) || type == typeof(byte) || type == typeof(short) || type == typeof(int) || type == typeof(long) ? "INTEGER"
            : type == typeof(double) || type == typeof(float) ? "REAL"
            : type == typeof(byte[]) || type == typeof(Guid) ? "BLOB"
            : "TEXT"; // string, decimal (exact), DateTime, DateTimeOffset, DateOnly, TimeOnly, TimeSpan
    }

    /// <inheritdoc />
    /// <remarks>With its prefix: Microsoft.Data.Sqlite then finds the placeholder at once instead of trying each prefix in turn.</remarks>
    public string ParameterName(string name) => "@" + name;

    /// <inheritdoc />
    public Func<object, object>? ParameterConversion(Type valueType) => null; // Microsoft.Data.Sqlite already writes every supported type faithfully
}
