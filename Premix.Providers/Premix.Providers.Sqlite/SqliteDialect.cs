using System.Globalization;
using Premix.Mapping;

namespace Premix.Providers.Sqlite;

/// <summary>
/// SQLite's SQL: double-quoted identifiers, <c>RETURNING</c> for generated keys (SQLite 3.35+), and a type mapping that
/// keeps every value exact (decimals as text, dates as ISO-8601 text, GUIDs as 16-byte blobs).
/// </summary>
public sealed class SqliteDialect : ISqlDialect
{
    // Microsoft.Data.Sqlite's text of a date and time, without the offset it writes after a DateTimeOffset.
    private const string UtcText = "yyyy-MM-dd HH:mm:ss.FFFFFFF";

    /// <inheritdoc />
    public string QuoteIdentifier(string identifier) => IdentifierQuoting.Quote(identifier, '"');

    /// <inheritdoc />
    public string Insert(string table, IReadOnlyList<string> columns, IReadOnlyList<string> parameters, string? generatedKey) =>
        InsertSql.WithReturning(table, columns, parameters, generatedKey, defaultValues: "DEFAULT VALUES");

    /// <inheritdoc />
    /// <remarks>SQLite cannot tell an upserted row inserted from one updated (both count one change); the version column, when there is one, tells.</remarks>
    public string Upsert(UpsertShape shape) => OnConflictSql.Render(shape, "NULL");

    /// <inheritdoc />
    /// <remarks>Microsoft.Data.Sqlite has no DbBatch; a re-bound statement per row is SQLite's fastest path anyway.</remarks>
    public bool BatchesInsertsReturningKeys => false;

    /// <inheritdoc />
    /// <remarks>Microsoft.Data.Sqlite has no DbBatch.</remarks>
    public bool BatchReportsRowsPerStatement => false;

    /// <inheritdoc />
    /// <remarks>An insert with <c>RETURNING</c> costs about twice the same insert read back by its rowid: SQLite buffers the returned rows.</remarks>
    public bool HasRowIds => true;

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
    /// <remarks>
    /// Decimals are stored as exact text; queries compare and order them as REAL (double precision). A DateTimeOffset is
    /// stored as text with its offset (<c>yyyy-MM-dd HH:mm:ss.FFFFFFFzzz</c>), which would compare as text; queries compare
    /// and order its instant instead: SQLite's <c>datetime()</c> of it (UTC, whole seconds) followed by its fraction.
    /// </remarks>
    public (string ColumnSql, Func<object, object>? ValueConversion) Comparable(string columnSql, Type storageType) =>
        storageType == typeof(decimal) ? ($"CAST({columnSql} AS REAL)", static value => (double)(decimal)value)
        : storageType == typeof(DateTimeOffset) ? ($"(datetime({columnSql}) || substr({columnSql}, 20, length({columnSql}) - 25))", static value => ((DateTimeOffset)value).UtcDateTime.ToString(UtcText, CultureInfo.InvariantCulture))
        : (columnSql, null);

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
        ArgumentNullException.ThrowIfNull(property);
        var type = ColumnTypes.StorageType(property);
        return property.ColumnType is { } declared ? declared
            : type == typeof(bool) || type == typeof(byte) || type == typeof(short) || type == typeof(int) || type == typeof(long) ? "INTEGER"
            : type == typeof(double) || type == typeof(float) ? "REAL"
            : type == typeof(byte[]) || type == typeof(Guid) ? "BLOB"
            : "TEXT"; // string, decimal (exact), DateTime, DateTimeOffset, DateOnly, TimeOnly, TimeSpan
    }

    /// <inheritdoc />
    /// <remarks>
    /// A REAL keeps both infinities, but SQLite turns NaN into NULL, so Microsoft.Data.Sqlite refuses it. Text keeps U+0000;
    /// an unpaired surrogate would be stored as U+FFFD.
    /// </remarks>
    public StoredValueLimits StoredValues { get; } = new("SQLite") { KeepsInfinity = true };

    /// <inheritdoc />
    /// <remarks>With its prefix: Microsoft.Data.Sqlite then finds the placeholder at once instead of trying each prefix in turn.</remarks>
    public string ParameterName(string name) => "@" + name;

    /// <inheritdoc />
    /// <remarks>
    /// Microsoft.Data.Sqlite already writes every supported type faithfully, and as the same text whatever the declared
    /// column type (SQLite keeps a date's text as it is under any type affinity).
    /// </remarks>
    public Func<object, object>? ParameterConversion(PropertyModel property) => null;

    /// <inheritdoc />
    /// <remarks><c>json_extract</c> gives numbers as numbers and a bool as 1 or 0, as SQLite stores them in columns.</remarks>
    public string JsonValue(string documentSql, string name, Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type == typeof(string) || type == typeof(bool) || type == typeof(byte) || type == typeof(short) || type == typeof(int) || type == typeof(long)
            || type == typeof(decimal) || type == typeof(double) || type == typeof(float)
            ? $"json_extract({documentSql}, '$.{name}')"
            : throw new NotSupportedException($"Premix reads string, number and bool members of JSON documents in queries, not {type.Name}.");
    }
}
