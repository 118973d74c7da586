using Premix.Mapping;

namespace Premix.Providers;

/// <summary>
/// The parts of SQL that differ between engines. Plans are compiled against a dialect once, at startup.
/// </summary>
public interface ISqlDialect
{
    /// <summary>Quotes an identifier (table, column, schema) so that any name, even a reserved word, is safe.</summary>
    /// <param name="identifier">The raw name, exactly as the database should store it.</param>
    string QuoteIdentifier(string identifier);

    /// <summary>Renders an INSERT that also returns the generated key when <paramref name="generatedKey"/> is given.</summary>
    /// <param name="table">The quoted, qualified table.</param>
    /// <param name="columns">The quoted columns to insert.</param>
    /// <param name="parameters">The parameter placeholders, one per column.</param>
    /// <param name="generatedKey">The quoted column the database generates, or <see langword="null"/>.</param>
    string Insert(string table, IReadOnlyList<string> columns, IReadOnlyList<string> parameters, string? generatedKey);

    /// <summary>
    /// Renders an upsert or insert-or-ignore of one row (<c>repository.Upsert</c>, <c>InsertOrIgnore</c>), answering with the
    /// row <see cref="UpsertShape"/> describes. Asked once per entity and conflict target, on first use.
    /// </summary>
    /// <exception cref="NotSupportedException">The engine has no upsert (the default).</exception>
    string Upsert(UpsertShape shape) => throw new NotSupportedException("This engine has no upsert statement.");

    /// <summary>
    /// Whether an upsert or insert-or-ignore meets a conflict on any unique key of the table, not only the conflict target
    /// it names (MySQL and MariaDB: <c>ON DUPLICATE KEY UPDATE</c>). Shared tables (<c>HasTenantColumn</c>) are then not
    /// upserted at all: the row met could be another tenant's.
    /// </summary>
    bool UpsertMeetsAnyUniqueKey => false;

    /// <summary>
    /// Whether a run of upserts can share a DbBatch, each batch command's answer row read in order (see <see cref="Upsert"/>).
    /// Without it each upsert is sent on its own, on one command re-bound per row.
    /// </summary>
    bool BatchesUpserts => BatchesInsertsReturningKeys;

    /// <summary>
    /// Whether inserts that return a generated key can share one batch (one round trip), each returning its key as
    /// a row. False where the key is read by a second statement (MySQL's <c>LAST_INSERT_ID()</c>).
    /// </summary>
    bool BatchesInsertsReturningKeys { get; }

    /// <summary>
    /// Whether a table's rows have a rowid the connection reports after each insert (SQLite's <c>sqlite3_last_insert_rowid</c>,
    /// read through <see cref="IDatabaseProvider.LastInsertedRowId"/>). Plans then also compile the insert without its
    /// <c>RETURNING</c> clause, for a key of one integer column, and a run of inserts reads the keys from the rowid once its
    /// first row proved the key column is the rowid. The default is <see langword="false"/>.
    /// </summary>
    bool HasRowIds => false;

    /// <summary>
    /// Whether the driver reports the rows each statement of a batch matched, which version and existence checks of
    /// batched updates and deletes need. False for MySqlConnector, which reports only the batch's total.
    /// </summary>
    bool BatchReportsRowsPerStatement { get; }

    /// <summary>
    /// Where the driver does not report each statement's rows (<see cref="BatchReportsRowsPerStatement"/> false): a query
    /// that, sent right after an UPDATE or DELETE in the same batch, returns the rows that statement matched (MySQL's
    /// <c>SELECT ROW_COUNT()</c>), so runs of them still share a round trip; <see langword="null"/> when there is none.
    /// </summary>
    string? MatchedRowsQuery => null;

    /// <summary>
    /// The paging clause appended to a SELECT, with parameters <c>@__skip</c> and <c>@__take</c> (never literals, so
    /// the SQL text does not change with the page). Empty when neither is given.
    /// </summary>
    string Paging(bool skip, bool take);

    /// <summary>
    /// How a query compares and orders a column whose stored type is <paramref name="storageType"/>: the SQL to compare
    /// (by default the column itself) and a conversion for the values compared with it (null: as bound normally).
    /// SQLite keeps decimals as exact text, which compares as text; it compares them as REAL instead.
    /// </summary>
    (string ColumnSql, Func<object, object>? ValueConversion) Comparable(string columnSql, Type storageType) => (columnSql, null);

    /// <summary>
    /// How a query tests whether a column holds one of a list of values (<c>ids.Contains(x.Id)</c>, and the key lists of
    /// Include and of the refresh after a bulk statement) with the whole list bound as one parameter: the SQL then does not
    /// change with the list's length and no parameter limit applies. <see langword="null"/> (the default) expands the list
    /// into one parameter per value instead, <c>IN (@p0_0, @p0_1, ...)</c>, which only suits a driver without a parameter
    /// limit (MySqlConnector writes the values into the statement text itself). Asked once per query shape.
    /// </summary>
    /// <param name="columnSql">The column as the query compares it (see <see cref="Comparable"/>).</param>
    /// <param name="property">The property mapped to the column.</param>
    /// <param name="parameter">The list's placeholder, with its <c>@</c>.</param>
    ListCondition? InList(string columnSql, PropertyModel property, string parameter) => null;

    /// <summary>
    /// The name a plan parameter, or a translated query's values and paging, is bound under, given its placeholder's name
    /// without prefix: as the driver matches it with the least work. Npgsql and MySqlConnector cut a prefix off (a new
    /// string per parameter); Microsoft.Data.Sqlite matches the placeholder exactly only with it (otherwise it retries each
    /// prefix, per execution).
    /// </summary>
    string ParameterName(string name) => name;

    /// <summary>
    /// The column type the engine uses for <paramref name="property"/> (for DDL and documentation), without any identity
    /// clause: the type declared with <c>HasColumnType</c>, or the engine's type for the property.
    /// </summary>
    string ColumnType(PropertyModel property);

    /// <summary>
    /// Whether the column of a <see cref="DateTime"/> property holds instants by its type, whatever the mapping says
    /// (PostgreSQL's <c>timestamp with time zone</c>): its values are then written only as UTC and read back as UTC, as
    /// with <c>StoredAsUtc()</c>. False by default: the column holds what it is given (wall-clock time).
    /// </summary>
    bool StoresUtcInstants(PropertyModel property) => false;

    /// <summary>
    /// What this engine cannot store faithfully in the column of <paramref name="property"/> (a declared date-time type
    /// whose values the server would shift or cut), as the problem and its fix; <see langword="null"/> when nothing.
    /// Asked once per property at startup; every problem is reported in one <see cref="MappingException"/>.
    /// </summary>
    (string Problem, string Fix)? MappingProblem(PropertyModel property) => null;

    /// <summary>
    /// Whether this engine's columns hold values of <paramref name="type"/> (not nullable), a type beyond
    /// <see cref="ScalarTypes"/> that only this engine stores (PostgreSQL's ranges, <c>NpgsqlRange&lt;int&gt;</c>), which its
    /// driver writes and reads as it is. <see langword="false"/> by default. Asked once per property type at startup.
    /// </summary>
    bool StoresNatively(Type type) => false;

    /// <summary>
    /// How a column of <paramref name="type"/>, one of the types only this engine stores (<see cref="StoresNatively"/>), is
    /// read as that type, boxed, where no reader can be compiled (native AOT: a Select's interpreted reader); each getter
    /// names its type in code, so native AOT compiles it. <see langword="null"/> (the default) for any other type. The
    /// driver's default type of such a column may differ (Npgsql reads a <c>tstzrange</c> as a range of
    /// <see cref="DateTime"/>, not of <see cref="DateTimeOffset"/>). Asked once per column a Select reads.
    /// </summary>
    Func<System.Data.Common.DbDataReader, int, object>? ColumnGetter(Type type) => null;

    /// <summary>Whether this engine stores a property as a composite type of its own (<c>StoredAsCompositeType</c>, PostgreSQL); <see langword="false"/> by default.</summary>
    bool StoresCompositeTypes => false;

    /// <summary>
    /// The condition of a static method of this engine's own that a query calls on a column and a value
    /// (<c>b.Seats.Contains(5)</c> on a PostgreSQL range: <c>"Seats" @&gt; @p0</c>), with how the value becomes its parameter
    /// (converted and typed as the column's contents are); or <see langword="null"/> (the default) when the engine has no
    /// translation for <paramref name="method"/>. Asked when a query is first translated.
    /// </summary>
    /// <param name="method">The method called, its first parameter the column's value.</param>
    /// <param name="property">The column's property.</param>
    /// <param name="columnSql">The column, quoted.</param>
    /// <param name="valueParameter">The placeholder of the value.</param>
    ArrayElementCondition? ColumnMethod(System.Reflection.MethodInfo method, PropertyModel property, string columnSql, string valueParameter) => null;

    /// <summary>
    /// The values this engine cannot store as they are (non-finite numbers, the NUL character), which Premix refuses before
    /// any SQL is sent. By default <see cref="StoredValueLimits.None"/>: a dialect that does not say leaves every value to its engine.
    /// </summary>
    StoredValueLimits StoredValues => StoredValueLimits.None;

    /// <summary>
    /// How values of <paramref name="property"/> are sent: a conversion of a non-null value of its storage type
    /// (<see cref="ColumnTypes.StorageType"/>) into what the driver stores faithfully in its column, or
    /// <see langword="null"/> to send values as they are. Asked once per column, at startup.
    /// </summary>
    Func<object, object>? ParameterConversion(PropertyModel property);

    /// <summary>
    /// What a parameter carrying values of <paramref name="property"/> needs besides its value (PostgreSQL names the
    /// database enum type of <c>StoredAsEnumType</c>, which a text parameter is not compared with), or <see langword="null"/>
    /// (the default): nothing. Asked once per column, at startup; applied to writes and to the values a query compares.
    /// </summary>
    Action<System.Data.IDbDataParameter>? ParameterSetup(PropertyModel property) => null;

    /// <summary>
    /// SQL that reads the member <paramref name="name"/> of the JSON document in <paramref name="documentSql"/> as a value of
    /// <paramref name="type"/> (a string, number or bool), NULL when the document or member is missing; for <c>Where(x =&gt; x.Address.City == "Oslo")</c>.
    /// </summary>
    /// <param name="documentSql">The JSON column, quoted.</param>
    /// <param name="name">The member's path in the document: names of letters, digits and underscores, joined by '.' for a member of a nested object (<c>geo.city</c>).</param>
    /// <param name="type">The member's storage type, which decides the cast.</param>
    string JsonValue(string documentSql, string name, Type type) => throw new NotSupportedException("This engine does not read members of JSON documents.");

    /// <summary>
    /// Whether the engine has array column types, so a <c>T[]</c> or <c>List&lt;T&gt;</c> property (<see cref="PropertyModel.ArrayElementType"/>)
    /// is stored in one column (PostgreSQL's <c>integer[]</c>). False by default: such a property is refused at startup.
    /// </summary>
    bool StoresArrays => false;

    /// <summary>How a query tests whether the array column <paramref name="arraySql"/> holds the value <paramref name="parameter"/> (<c>x.Tags.Contains(tag)</c>).</summary>
    /// <param name="arraySql">The array column, quoted.</param>
    /// <param name="property">The array property mapped to the column.</param>
    /// <param name="parameter">The value's placeholder, with its <c>@</c>.</param>
    ArrayElementCondition ArrayContains(string arraySql, PropertyModel property, string parameter) => throw new NotSupportedException("This engine has no array columns.");

    /// <summary>SQL for the number of elements of the array column <paramref name="arraySql"/> (<c>x.Tags.Length</c>, <c>x.Tags.Count</c>), NULL for a NULL array.</summary>
    /// <param name="arraySql">The array column, quoted.</param>
    string ArrayLength(string arraySql) => throw new NotSupportedException("This engine has no array columns.");
}
