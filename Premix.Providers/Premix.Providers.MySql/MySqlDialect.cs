using System.Text.RegularExpressions;
using Premix.Mapping;

namespace Premix.Providers.MySql;

/// <summary>
/// MySQL and MariaDB SQL: backtick-quoted identifiers, <c>LAST_INSERT_ID()</c> for generated keys (it works on both
/// engines), and a type mapping with microsecond precision for times.
/// </summary>
public sealed partial class MySqlDialect : ISqlDialect, IRowListInsertDialect, IRowListUpdateDialect, IUpsertFormsDialect
{
    private static readonly Func<object, object> Utc = value => ((DateTimeOffset)value).UtcDateTime;

    private readonly bool _rowAlias;

    /// <summary>
    /// The dialect for MariaDB and MySQL of any version: an upsert names the values given with <c>VALUES(c)</c> on MariaDB and
    /// MySQL before 8.0.20, and through a row alias on MySQL 8.0.20 and later (chosen per connection, see <see cref="UpsertForm"/>).
    /// </summary>
    public MySqlDialect()
    {
    }

    private MySqlDialect(bool rowAlias) => _rowAlias = rowAlias;

    /// <summary>
    /// The dialect for the server that reports <paramref name="serverVersion"/> (<c>MySqlConnection.ServerVersion</c>, such as
    /// <c>8.0.36</c> or <c>10.11.6-MariaDB</c>): on MySQL 8.0.20 and later an upsert names the values given through the row
    /// alias (<c>AS __new … __new.c</c>), since MySQL deprecates <c>VALUES(c)</c> there; MariaDB rejects the alias and keeps <c>VALUES(c)</c>.
    /// For rendering SQL without a connection (<see cref="Upsert(UpsertShape)"/>); a commit picks the form per connection anyway.
    /// </summary>
    public static MySqlDialect ForServer(string serverVersion)
    {
        ArgumentNullException.ThrowIfNull(serverVersion);
        return new MySqlDialect(rowAlias: MySqlServerKind.PrefersRowAlias(serverVersion));
    }

    /// <inheritdoc />
    public string QuoteIdentifier(string identifier) => IdentifierQuoting.Quote(identifier, '`');

    /// <inheritdoc />
    public string Insert(string table, IReadOnlyList<string> columns, IReadOnlyList<string> parameters, string? generatedKey) =>
        InsertSql.Plain(table, columns, parameters, defaultValues: "() VALUES ()") + (generatedKey is null ? string.Empty : "; SELECT LAST_INSERT_ID()");

    /// <inheritdoc />
    /// <remarks>
    /// Keys come back with <c>RETURNING</c>, which MariaDB has since 10.5 and MySQL not at all (there such rows keep one
    /// INSERT each: with <c>LAST_INSERT_ID()</c> alone, the keys of a many-row INSERT are known only under settings of the
    /// server's, <c>auto_increment_increment</c> and <c>innodb_autoinc_lock_mode</c>, that a client cannot count on).
    /// MariaDB sends each returned row as it inserts it, in the order of the VALUES list.
    /// </remarks>
    public string InsertRows(string table, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows, string? generatedKey)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        var sql = new System.Text.StringBuilder($"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ");
        for (var row = 0; row < rows.Count; row++)
        {
            sql.Append(row == 0 ? "(" : ", (").AppendJoin(", ", rows[row]).Append(')');
        }

        return generatedKey is null ? sql.ToString() : sql.Append(" RETURNING ").Append(generatedKey).ToString();
    }

    /// <inheritdoc />
    /// <remarks>
    /// The rows matched are counted with <c>CLIENT_FOUND_ROWS</c> (<c>Use Affected Rows=false</c>), changed or not. The
    /// version is bumped last: MySQL evaluates a single-table UPDATE's assignments left to right.
    /// </remarks>
    public string UpdateRows(string table, string key, IReadOnlyList<string> columns, string? version, string? filter, int rows)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        var sql = new System.Text.StringBuilder($"UPDATE {table} SET ");
        for (var column = 0; column < columns.Count; column++)
        {
            sql.Append(column == 0 ? string.Empty : ", ").Append(columns[column]).Append(" = ");
            Case(sql, key, rows);
        }

        if (version is not null)
        {
            sql.Append(columns.Count == 0 ? string.Empty : ", ").Append(version).Append(" = ").Append(version).Append(" + 1");
        }

        sql.Append(" WHERE ").Append(key).Append(" IN (");
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "?" : ", ?");
        }

        sql.Append(')');
        if (version is not null)
        {
            sql.Append(" AND ").Append(version).Append(" = ");
            Case(sql, key, rows);
        }

        return (filter is null ? sql : sql.Append(" AND ").Append(filter)).ToString();

        static void Case(System.Text.StringBuilder sql, string key, int rows)
        {
            sql.Append("CASE ").Append(key);
            for (var row = 0; row < rows; row++)
            {
                sql.Append(" WHEN ? THEN ?");
            }

            sql.Append(" END");
        }
    }

    /// <inheritdoc />
    /// <remarks>See <see cref="MySqlUpsertSql.RenderRows"/>: every shape, upserts and inserts-or-ignore, with or without a version.</remarks>
    public string? UpsertRows(UpsertShape shape, IReadOnlyList<IReadOnlyList<string>> rows) => MySqlUpsertSql.RenderRows(shape, rows);

    /// <inheritdoc />
    public bool ReturnsKeysOfRowLists(System.Data.Common.DbConnection connection) => MySqlServerKind.HasInsertReturning(connection);

    /// <inheritdoc />
    public bool UpsertMeetsAnyUniqueKey => true;

    /// <inheritdoc />
    /// <remarks>See <see cref="MySqlUpsertSql"/>. On MySQL and MariaDB ON DUPLICATE KEY UPDATE fires on a conflict with any unique key of the table, not only the conflict target named.</remarks>
    public string Upsert(UpsertShape shape) => MySqlUpsertSql.Render(shape, _rowAlias);

    /// <inheritdoc />
    /// <remarks>
    /// The row alias on MySQL 8.0.20 and later, <c>VALUES(c)</c> on MariaDB and older MySQL, whatever this dialect renders
    /// without a connection: read from the version the server announced at connect time.
    /// </remarks>
    public int UpsertForm(System.Data.Common.DbConnection connection) => MySqlServerKind.PrefersRowAlias(connection) == _rowAlias ? 0 : 1;

    /// <inheritdoc />
    public string Upsert(UpsertShape shape, int form) => MySqlUpsertSql.Render(shape, rowAlias: form == 1 ? !_rowAlias : _rowAlias);

    /// <inheritdoc />
    /// <remarks>
    /// Each upsert is one batch command of several statements (the INSERT and the SELECT of its answer row), which
    /// MySqlConnector sends in one round trip with the others; only the SELECT returns a result set, so the answers come back one per upsert, in order.
    /// </remarks>
    public bool BatchesUpserts => true;

    /// <inheritdoc />
    /// <remarks>The key comes from a second statement, SELECT LAST_INSERT_ID(), which a batch command cannot carry.</remarks>
    public bool BatchesInsertsReturningKeys => false;

    /// <inheritdoc />
    /// <remarks>MySqlConnector leaves each MySqlBatchCommand.RecordsAffected at 0 and reports only the total.</remarks>
    public bool BatchReportsRowsPerStatement => false;

    /// <inheritdoc />
    /// <remarks>
    /// <c>ROW_COUNT()</c> counts the rows the previous statement matched, changed or not, because Premix connects with
    /// <c>CLIENT_FOUND_ROWS</c> (<c>Use Affected Rows=false</c>), as version checks need.
    /// </remarks>
    public string? MatchedRowsQuery => "SELECT ROW_COUNT()";

    /// <inheritdoc />
    /// <remarks>MySQL needs a LIMIT before an OFFSET; the largest BIGINT UNSIGNED means none.</remarks>
    public string Paging(bool skip, bool take) => (skip, take) switch
    {
        (true, true) => " LIMIT @__take OFFSET @__skip",
        (false, true) => " LIMIT @__take",
        (true, false) => " LIMIT 18446744073709551615 OFFSET @__skip",
        _ => string.Empty,
    };

    /// <inheritdoc />
    public string ColumnType(PropertyModel property)
    {
        ArgumentNullException.ThrowIfNull(property);
        var type = ColumnTypes.StorageType(property);
        return property.ColumnType ?? type switch
        {
            _ when property.EnumType is { } enumType => $"ENUM({string.Join(",", enumType.Labels.Select(MySqlEnumLabels.Literal))})",
            _ when property.StoresJson => "JSON", // MariaDB: an alias of LONGTEXT with a json_valid check
            _ when type == typeof(bool) => "TINYINT(1)",
            _ when type == typeof(byte) => "TINYINT UNSIGNED",
            _ when type == typeof(short) => "SMALLINT",
            _ when type == typeof(int) => "INT",
            _ when type == typeof(long) => "BIGINT",
            _ when type == typeof(decimal) => $"DECIMAL({property.Precision},{property.Scale})",
            // FLOAT comes back through the text protocol with 6 significant digits; every float is exact in a DOUBLE.
            _ when type == typeof(double) || type == typeof(float) => "DOUBLE",
            _ when type == typeof(string) => ColumnTypes.TextLength(property) is { } length ? $"VARCHAR({length})" : "LONGTEXT",
            _ when type == typeof(Guid) => "CHAR(36)",
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "DATETIME(6)",
            _ when type == typeof(DateOnly) => "DATE",
            _ when type == typeof(TimeOnly) || type == typeof(TimeSpan) => "TIME(6)",
            _ when type == typeof(byte[]) => property.MaxLength is { } max && max <= 65535 ? $"VARBINARY({max})" : "LONGBLOB",
            _ => throw new NotSupportedException($"{property.Name}: MySQL has no column type for {type.Name}."),
        };
    }

    /// <inheritdoc />
    /// <remarks>
    /// A <see cref="DateTime"/> or <see cref="DateTimeOffset"/> is kept exactly only in <c>DATETIME</c>, which stores what it
    /// is given. <c>TIMESTAMP</c> converts every value from the session's <c>time_zone</c> to UTC and back, so the stored
    /// instant depends on each session's setting, and in a zone with daylight saving time one hour a year cannot be stored.
    /// </remarks>
    public (string Problem, string Fix)? MappingProblem(PropertyModel property)
    {
        ArgumentNullException.ThrowIfNull(property);
        if (MySqlEnumLabels.Problem(property) is { } label)
        {
            return label;
        }

        var type = ColumnTypes.StorageType(property);
        return property.ColumnType is { } declared && (type == typeof(DateTime) || type == typeof(DateTimeOffset)) && !DateTimeType().IsMatch(declared)
            ? ($"is a {type.Name} on a {declared} column; MySQL keeps date-times exactly only in DATETIME ({(Timestamp().IsMatch(declared) ? "TIMESTAMP converts each value through the session's time_zone" : "this type cannot hold one")}).",
                "Use HasColumnType(\"DATETIME(6)\") (the default) and change the column with ALTER TABLE ... MODIFY ... DATETIME(6); StoredAsUtc() keeps UTC instants there.")
            : null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>DOUBLE</c> holds no NaN or infinity (MySqlConnector writes them into the statement as the words <c>NaN</c> and
    /// <c>Infinity</c>, which the server takes for column names). Text keeps U+0000; an unpaired surrogate would be stored as U+FFFD.
    /// A bare <c>DECIMAL</c> is <c>DECIMAL(10,0)</c>, whose fraction the server drops with only a note.
    /// </remarks>
    public StoredValueLimits StoredValues { get; } = new("MySQL/MariaDB") { BareDecimalDigits = (10, 0) };

    /// <inheritdoc />
    public Func<object, object>? ParameterConversion(PropertyModel property) =>
        ColumnTypes.StorageType(property) == typeof(DateTimeOffset) ? Utc // MySQL keeps no offset: the instant is stored as UTC
        : null;

    [GeneratedRegex(@"^\s*datetime\s*(\(\s*\d+\s*\))?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex DateTimeType();

    [GeneratedRegex(@"^\s*timestamp\b", RegexOptions.IgnoreCase)]
    private static partial Regex Timestamp();

    /// <inheritdoc />
    /// <remarks>
    /// <c>JSON_VALUE</c> gives the member's text (MySQL 8.0.21+, MariaDB 10.2.3+), cast to the member's type; a bool comes
    /// as <c>true</c>/<c>false</c> from MySQL and <c>1</c>/<c>0</c> from MariaDB, compared as 1/0.
    /// </remarks>
    public string JsonValue(string documentSql, string name, Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var text = $"JSON_VALUE({documentSql}, '$.{name}')";
        return type == typeof(string) ? text
            : type == typeof(bool) ? $"(CASE WHEN {text} IN ('true', '1') THEN 1 WHEN {text} IN ('false', '0') THEN 0 END)"
            : type == typeof(byte) || type == typeof(short) || type == typeof(int) || type == typeof(long) ? $"CAST({text} AS SIGNED)"
            : type == typeof(decimal) ? $"CAST({text} AS DECIMAL(65,30))"
            : type == typeof(double) || type == typeof(float) ? $"CAST({text} AS DOUBLE)"
            : throw new NotSupportedException($"Premix reads string, number and bool members of JSON documents in queries, not {type.Name}.");
    }
}
