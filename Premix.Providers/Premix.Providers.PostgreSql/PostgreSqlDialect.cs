using System.Collections.Concurrent;
using System.Data;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using Premix.Mapping;
using Premix.Plans;

namespace Premix.Providers.PostgreSql;

/// <summary>
/// PostgreSQL's SQL: double-quoted identifiers, <c>RETURNING</c> for generated keys, and native types for everything
/// (<c>uuid</c>, <c>numeric</c>, <c>timestamptz</c>, <c>date</c>, <c>time</c>, <c>interval</c>, <c>bytea</c>).
/// </summary>
public sealed partial class PostgreSqlDialect : ISqlDialect, IArrayWriteDialect, IPositionalPlaceholders
{
    private static readonly Func<object, object> Timestamp = value => DateTime.SpecifyKind((DateTime)value, DateTimeKind.Unspecified);
    private static readonly Func<object, object> TimestampWithZone = value => ((DateTimeOffset)value).ToUniversalTime();
    private static readonly Func<object, object> UtcRange = value => PostgreSqlRanges.ToUniversalTime((NpgsqlRange<DateTimeOffset>)value);
    private static readonly Func<object, object> SmallInt = value => (short)(byte)value;
    private static readonly ConcurrentDictionary<Type, Func<IReadOnlyList<object>, object>> ArrayBuilders = new();

    /// <inheritdoc />
    public string? PositionalText(string sql, IReadOnlyList<string> parameterNames) => PostgreSqlPositionalText.Of(sql, parameterNames);

    /// <inheritdoc />
    public string QuoteIdentifier(string identifier) => IdentifierQuoting.Quote(identifier, '"');

    /// <inheritdoc />
    public string Insert(string table, IReadOnlyList<string> columns, IReadOnlyList<string> parameters, string? generatedKey) =>
        InsertSql.WithReturning(table, columns, parameters, generatedKey, defaultValues: "DEFAULT VALUES");

    /// <inheritdoc />
    /// <remarks>
    /// <c>ON CONFLICT … DO UPDATE</c>, never <c>MERGE</c>: only ON CONFLICT guarantees an insert or an update when another
    /// transaction inserts the same key at the same time. <c>xmax = 0</c> tells a row just inserted from one updated.
    /// </remarks>
    public string Upsert(UpsertShape shape) => OnConflictSql.Render(shape, "(xmax = 0)");

    /// <inheritdoc />
    /// <remarks>Each INSERT ... RETURNING of a batch returns its own row.</remarks>
    public bool BatchesInsertsReturningKeys => true;

    /// <inheritdoc />
    /// <remarks>Npgsql sets RecordsAffected on every NpgsqlBatchCommand.</remarks>
    public bool BatchReportsRowsPerStatement => true;

    /// <inheritdoc />
    public string Paging(bool skip, bool take) => (skip, take) switch
    {
        (true, true) => " LIMIT @__take OFFSET @__skip",
        (false, true) => " LIMIT @__take",
        (true, false) => " OFFSET @__skip",
        _ => string.Empty,
    };

    /// <inheritdoc />
    public string ColumnType(PropertyModel property)
    {
        ArgumentNullException.ThrowIfNull(property);
        var type = ColumnTypes.StorageType(property);
        return property.ColumnType ?? type switch
        {
            _ when property is { ArrayElementType: not null, EnumType: { } elementType } => EnumTypeName(elementType) + "[]",
            _ when property.ArrayElementType is not null => PostgreSqlArrays.ColumnType(property),
            _ when property.EnumType is { } enumType => EnumTypeName(enumType),
            _ when property.CompositeType is { } composite => TypeName(composite.Name),
            _ when property.StoresJson => "jsonb",
            _ when PostgreSqlRanges.TypeName(type) is { } range => range,
            _ when type == typeof(bool) => "boolean",
            _ when type == typeof(byte) || type == typeof(short) => "smallint",
            _ when type == typeof(int) => "integer",
            _ when type == typeof(long) => "bigint",
            _ when type == typeof(decimal) => $"numeric({property.Precision},{property.Scale})",
            _ when type == typeof(double) => "double precision",
            _ when type == typeof(float) => "real",
            _ when type == typeof(string) => ColumnTypes.TextLength(property) is { } length ? $"varchar({length})" : "text",
            _ when type == typeof(Guid) => "uuid",
            _ when type == typeof(DateTime) => property.StoresUtc ? "timestamp(6) with time zone" : "timestamp(6) without time zone",
            _ when type == typeof(DateTimeOffset) => "timestamp(6) with time zone",
            _ when type == typeof(DateOnly) => "date",
            _ when type == typeof(TimeOnly) => "time(6)",
            _ when type == typeof(TimeSpan) => "interval",
            _ when type == typeof(byte[]) => "bytea",
            _ => throw new NotSupportedException($"{property.Name}: PostgreSQL has no column type for {type.Name}."),
        };
    }

    /// <summary>The enum type's name as PostgreSQL writes it (<c>format_type</c>): quoted unless it is a plain lower-case word.</summary>
    private string EnumTypeName(DatabaseEnum enumType) => TypeName(enumType.Name);

    private string TypeName(string name) => PlainName().IsMatch(name) ? name : QuoteIdentifier(name);

    /// <inheritdoc />
    /// <remarks>
    /// A database enum type (<c>StoredAsEnumType</c>) goes by its name, and a JSON document as <c>jsonb</c> (or <c>json</c>
    /// for a column declared so): Npgsql would send their text as <c>text</c>, which PostgreSQL neither compares with an
    /// enum nor assigns to a JSON column. A range goes as its column's range type: Npgsql would send a range of
    /// <see cref="DateTime"/> by the bounds' kind, <c>tstzrange</c> for UTC ones, which no <c>tsrange</c> column takes.
    /// </remarks>
    public Action<IDbDataParameter>? ParameterSetup(PropertyModel property)
    {
        ArgumentNullException.ThrowIfNull(property);
        if (property.StoresJson)
        {
            return IsJsonb(property) ? Jsonb : Json;
        }

        if (PostgreSqlRanges.TypeName(ColumnTypes.StorageType(property)) is not null)
        {
            var range = ColumnType(property);
            return parameter => ((NpgsqlParameter)parameter).DataTypeName = range;
        }

        if (property.ArrayElementType is not null)
        {
            return PostgreSqlArrays.ParameterSetup(property);
        }

        if (property.EnumType is not { } enumType || property.ColumnType is not null)
        {
            return null;
        }

        var name = enumType.Name;
        return parameter => ((NpgsqlParameter)parameter).DataTypeName = name;
    }

    /// <inheritdoc />
    /// <remarks>The ranges of <see cref="PostgreSqlRanges"/>: <c>NpgsqlRange&lt;int&gt;</c> is an <c>int4range</c>, and so on.</remarks>
    public bool StoresNatively(Type type) => PostgreSqlRanges.TypeName(type) is not null;

    /// <inheritdoc />
    /// <remarks>The ranges of <see cref="PostgreSqlRanges"/>, each read as its <see cref="NpgsqlRange{T}"/> type.</remarks>
    public Func<System.Data.Common.DbDataReader, int, object>? ColumnGetter(Type type) => PostgreSqlRanges.Getter(type);

    /// <inheritdoc />
    public bool StoresCompositeTypes => true;

    /// <inheritdoc />
    /// <remarks><see cref="NpgsqlRangeExtensions.Contains{T}"/>: the range operator <c>@&gt;</c>, which a GiST index on the column serves.</remarks>
    public ArrayElementCondition? ColumnMethod(MethodInfo method, PropertyModel property, string columnSql, string valueParameter)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(property);
        return method.DeclaringType == typeof(NpgsqlRangeExtensions) && method.Name == nameof(NpgsqlRangeExtensions.Contains)
            ? PostgreSqlRanges.Contains(ColumnTypes.StorageType(property), $"{columnSql} @> {valueParameter}")
            : null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>INSERT ... SELECT ... FROM unnest(@a, @b) WITH ORDINALITY ... ORDER BY</c>: PostgreSQL inserts the rows in
    /// the order of the select, and RETURNING yields them in the order they were inserted.
    /// </remarks>
    public string InsertFromArrays(string table, IReadOnlyList<string> columns, IReadOnlyList<string> arrays, string? generatedKey)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(arrays);
        var values = Enumerable.Range(0, columns.Count).Select(i => $"__v.c{i}");
        return $"INSERT INTO {table} ({string.Join(", ", columns)}) SELECT {string.Join(", ", values)} FROM {Unnest(arrays)} ORDER BY __v.__n"
            + (generatedKey is null ? string.Empty : " RETURNING " + generatedKey);
    }

    /// <inheritdoc />
    public string UpdateFromArrays(string table, IReadOnlyList<string> setColumns, IReadOnlyList<string> filterColumns, IReadOnlyList<string> arrays, string? versionColumn, string? rowFilter = null)
    {
        ArgumentNullException.ThrowIfNull(setColumns);
        ArgumentNullException.ThrowIfNull(filterColumns);
        var set = setColumns.Select((column, i) => $"{column} = __v.c{i}");
        if (versionColumn is not null)
        {
            set = set.Append($"{versionColumn} = __t.{versionColumn} + 1");
        }
        else if (setColumns.Count == 0)
        {
            set = [$"{filterColumns[0]} = __t.{filterColumns[0]}"]; // an entity that is all key
        }

        var filter = filterColumns.Select((column, i) => $"__t.{column} = __v.c{setColumns.Count + i}");
        if (rowFilter is not null)
        {
            filter = filter.Append(rowFilter); // its columns are the table's: unnest's are named c0, c1, ... and __n
        }

        return $"UPDATE {table} AS __t SET {string.Join(", ", set)} FROM {Unnest(arrays)} WHERE {string.Join(" AND ", filter)} RETURNING __v.__n";
    }

    /// <inheritdoc />
    public Type ArrayElementType(Type storageType) => storageType == typeof(byte) ? typeof(short) : storageType;

    /// <inheritdoc />
    /// <remarks>The types of <see cref="PostgreSqlArrayBuilders"/>: every scalar type a PostgreSQL column stores here.</remarks>
    public Type? ArrayType(Type elementType, bool nullable) =>
        nullable ? PostgreSqlArrayBuilders.NullableArrayType(elementType) : PostgreSqlArrayBuilders.ArrayType(elementType);

    /// <inheritdoc />
    /// <remarks>
    /// <c>double precision</c> and <c>real</c> keep NaN and both infinities exactly (and -0). No text type can hold U+0000
    /// (the server refuses it with 22021), and Npgsql cannot encode an unpaired surrogate.
    /// </remarks>
    public StoredValueLimits StoredValues { get; } = new("PostgreSQL") { KeepsNaN = true, KeepsInfinity = true, KeepsNulCharacter = false };

    /// <inheritdoc />
    /// <remarks><c>timestamp with time zone</c> (<c>timestamptz</c>) in any spelling, as declared with <c>HasColumnType</c> or chosen for <c>StoredAsUtc()</c>.</remarks>
    public bool StoresUtcInstants(PropertyModel property) => TimestampWithTimeZone().IsMatch(ColumnType(property));

    /// <inheritdoc />
    /// <remarks>
    /// Npgsql writes a <see cref="DateTime"/> only to <c>timestamp</c> (wall-clock time) or <c>timestamptz</c> (a UTC
    /// instant), and a <see cref="DateTimeOffset"/> only to <c>timestamptz</c>: any other type would make the server convert
    /// the value through the session's time zone, or cut it to a date.
    /// </remarks>
    public (string Problem, string Fix)? MappingProblem(PropertyModel property)
    {
        ArgumentNullException.ThrowIfNull(property);
        // Sync creates enum and composite types inside DO $$ ... $$ blocks, which a "$$" in a name or label would end.
        if (new[] { property.EnumType?.Name, property.CompositeType?.Name }.Concat(property.EnumType?.Labels ?? []).FirstOrDefault(t => t?.Contains("$$", StringComparison.Ordinal) == true) is { } dollars)
        {
            return ($"names the database type or label '{dollars}', which holds \"$$\", the quote of the block sync creates the type in.", "Choose a name or label without \"$$\".");
        }

        if (property.CompositeType is { } composite)
        {
            return PostgreSqlCompositeTypes.Problem(composite);
        }

        var type = ColumnTypes.StorageType(property);
        return property.ColumnType switch
        {
            null => null,
            var declared when type == typeof(DateTime) && !AnyTimestamp().IsMatch(declared) => (
                $"is a DateTime on a {declared} column, which PostgreSQL cannot store it in faithfully.",
                "Use HasColumnType(\"timestamptz\") for UTC instants or HasColumnType(\"timestamp\") for wall-clock time, or a DateOnly property for a date column."),
            var declared when type == typeof(DateTimeOffset) && !TimestampWithTimeZone().IsMatch(declared) => (
                $"is a DateTimeOffset on a {declared} column; PostgreSQL keeps an instant only in timestamp with time zone, and converts it into any other type through the session's time zone.",
                "Use HasColumnType(\"timestamptz\") (the default), or a DateTime with StoredAsUtc() and HasColumnType(\"timestamp\") for a column of UTC wall-clock times."),
            _ => null,
        };
    }

    /// <inheritdoc />
    public Delegate? ArrayElementConversion(PropertyModel property)
    {
        ArgumentNullException.ThrowIfNull(property);
        var storageType = ColumnTypes.StorageType(property);
        return storageType == typeof(DateTime) ? (StoresUtcInstants(property) ? null : (Func<DateTime, DateTime>)(value => DateTime.SpecifyKind(value, DateTimeKind.Unspecified)))
            : storageType == typeof(DateTimeOffset) ? (Func<DateTimeOffset, DateTimeOffset>)(value => value.ToUniversalTime())
            : storageType == typeof(NpgsqlRange<DateTimeOffset>) ? (Func<NpgsqlRange<DateTimeOffset>, NpgsqlRange<DateTimeOffset>>)PostgreSqlRanges.ToUniversalTime
            : storageType == typeof(byte) ? (Func<byte, short>)(value => value)
            : null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// An untyped array of <see cref="DateTime"/> or <see cref="DateTimeOffset"/> makes Npgsql look at every element to
    /// choose between <c>timestamp</c> and <c>timestamptz</c>; the column's type is known, so it is given.
    /// </remarks>
    public Action<IDbDataParameter>? ArrayParameterSetup(PropertyModel property)
    {
        ArgumentNullException.ThrowIfNull(property);
        var storageType = ColumnTypes.StorageType(property);
        if (property.EnumType is { } enumType && property.ColumnType is null)
        {
            var name = enumType.Name + "[]";
            return parameter => ((NpgsqlParameter)parameter).DataTypeName = name;
        }

        if (PostgreSqlRanges.TypeName(storageType) is not null)
        {
            var ranges = ColumnType(property) + "[]";
            return parameter => ((NpgsqlParameter)parameter).DataTypeName = ranges;
        }

        return property.StoresJson && IsJsonb(property) ? JsonbArray
            : storageType == typeof(DateTimeOffset) || (storageType == typeof(DateTime) && StoresUtcInstants(property)) ? TimestampTzArray
            : storageType == typeof(DateTime) ? TimestampArray
            : null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>column = ANY(@p)</c> with one typed array: one SQL text (and one prepared statement) for lists of every length,
    /// no parameter limit, and PostgreSQL hashes a long array instead of comparing with each element in turn. The array
    /// gets the column's database type, as the arrays of many-row writes do.
    /// </remarks>
    public ListCondition InList(string columnSql, PropertyModel property, string parameter)
    {
        var storageType = ColumnTypes.StorageType(property);
        return new($"{columnSql} = ANY({parameter})", ArrayBuilders.GetOrAdd(ArrayElementType(storageType), BuildArrayOf), ArrayParameterSetup(property));
    }

    // The arrays as a table aliased __v with columns c0, c1, ... and the 1-based position __n.
    private static string Unnest(IReadOnlyList<string> arrays) =>
        $"unnest({string.Join(", ", arrays)}) WITH ORDINALITY AS __v({string.Join(", ", arrays.Select((_, i) => $"c{i}"))}, __n)";

    // Native AOT has the code of ArrayOf<T> only for the element types named in PostgreSqlArrayBuilders (every type a
    // PostgreSQL column stores; ILC cannot make one at run time); with dynamic code any other type is made on first use.
    private static Func<IReadOnlyList<object>, object> BuildArrayOf(Type element) =>
        PostgreSqlArrayBuilders.Known(element)
        ?? (RuntimeFeature.IsDynamicCodeSupported
            ? typeof(PostgreSqlDialect).GetMethod(nameof(ArrayOf), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(element).CreateDelegate<Func<IReadOnlyList<object>, object>>()
            : throw new NotSupportedException($"A list of {element.Name} compared with a column (list.Contains(x.Column)) is sent as a typed array, which cannot be made for {element.Name} while {NativeAotPlans.DynamicCodeOff}: "
                + $"only for the types PostgreSQL columns store ({PostgreSqlArrayBuilders.KnownNames}). Store the column as one of those, or {NativeAotPlans.TurnDynamicCodeOn} (docs/aot.md, Native AOT)."));

    // A T[] rather than an object[], so Npgsql knows the array's type even when it is empty. Values that are a list of T
    // as well (an include's typed keys) are copied as they are, without a box and an unbox each.
    internal static object ArrayOf<T>(IReadOnlyList<object> values)
    {
        var array = new T[values.Count];
        if (values is IReadOnlyList<T> typed)
        {
            for (var i = 0; i < array.Length; i++)
            {
                array[i] = typed[i];
            }

            return array;
        }

        for (var i = 0; i < array.Length; i++)
        {
            array[i] = (T)values[i];
        }

        return array;
    }

    /// <inheritdoc />
    /// <remarks>
    /// A <see cref="DateTime"/> for <c>timestamp</c> goes as wall-clock time whatever its kind; one for <c>timestamptz</c> goes
    /// as it is (a UTC instant, which Premix checks first), so Npgsql sends it as <c>timestamptz</c> and the server never
    /// converts it through the session's time zone. A composite value goes as a copy with its time attributes so converted
    /// (<see cref="PostgreSqlCompositeValues"/>).
    /// </remarks>
    public Func<object, object>? ParameterConversion(PropertyModel property)
    {
        ArgumentNullException.ThrowIfNull(property);
        if (property.ArrayElementType is not null)
        {
            return PostgreSqlArrays.ParameterConversion(property);
        }

        if (property.CompositeType is { } composite)
        {
            // Under native AOT the provider refused the model's composite types at startup (UseModel): none gets here.
            return RuntimeFeature.IsDynamicCodeSupported ? PostgreSqlCompositeValues.Conversion(composite) : throw PostgreSqlCompositeTypes.NotUnderNativeAot(composite);
        }

        var valueType = ColumnTypes.StorageType(property);
        return valueType == typeof(DateTime) ? (StoresUtcInstants(property) ? null : Timestamp)
            : valueType == typeof(DateTimeOffset) ? TimestampWithZone // Npgsql writes only offset 0 to timestamptz
            : valueType == typeof(NpgsqlRange<DateTimeOffset>) ? UtcRange
            : valueType == typeof(byte) ? SmallInt
            : null;
    }

    /// <inheritdoc />
    public bool StoresArrays => true;

    /// <inheritdoc />
    /// <remarks>
    /// <c>@p = ANY(column)</c>, the value typed as an element. Like C#'s <c>Contains</c> it is false for an empty array, but
    /// NULL (no match, also under <c>NOT</c>) for a NULL array and for an array that holds a NULL element and not the value.
    /// </remarks>
    public ArrayElementCondition ArrayContains(string arraySql, PropertyModel property, string parameter) =>
        new($"{parameter} = ANY({arraySql})", PostgreSqlArrays.ElementConversion(property), PostgreSqlArrays.ElementSetup(property));

    /// <inheritdoc />
    /// <remarks><c>cardinality</c>: 0 for an empty array (<c>array_length</c> would give NULL), NULL for a NULL one.</remarks>
    public string ArrayLength(string arraySql) => $"cardinality({arraySql})";

    /// <inheritdoc />
    /// <remarks><c>-&gt;</c> follows each object of a deeper path, <c>-&gt;&gt;</c> gives the member's text, cast to the member's type so numbers and bools compare as such (an index on the same expression serves it).</remarks>
    public string JsonValue(string documentSql, string name, Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        // x.Address.Geo.City: every step but the last as json (->), the last as text (->>).
        var steps = name.Split('.');
        var text = $"({documentSql}{string.Concat(steps[..^1].Select(step => $" -> '{step}'"))} ->> '{steps[^1]}')";
        return type == typeof(string) ? text
            : type == typeof(bool) ? $"{text}::boolean"
            : type == typeof(short) || type == typeof(byte) ? $"{text}::smallint"
            : type == typeof(int) ? $"{text}::integer"
            : type == typeof(long) ? $"{text}::bigint"
            : type == typeof(decimal) ? $"{text}::numeric"
            : type == typeof(double) || type == typeof(float) ? $"{text}::double precision"
            : throw new NotSupportedException($"Premix reads string, number and bool members of JSON documents in queries, not {type.Name}.");
    }

    private bool IsJsonb(PropertyModel property) => !string.Equals(ColumnType(property).Trim(), "json", StringComparison.OrdinalIgnoreCase);

    private static void Jsonb(IDbDataParameter parameter) => ((NpgsqlParameter)parameter).NpgsqlDbType = NpgsqlDbType.Jsonb;

    private static void Json(IDbDataParameter parameter) => ((NpgsqlParameter)parameter).NpgsqlDbType = NpgsqlDbType.Json;

    private static void JsonbArray(IDbDataParameter parameter) => ((NpgsqlParameter)parameter).NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb;

    private static void TimestampArray(IDbDataParameter parameter) => ((NpgsqlParameter)parameter).NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Timestamp;

    private static void TimestampTzArray(IDbDataParameter parameter) => ((NpgsqlParameter)parameter).NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz;

    // timestamp, timestamp(3), timestamp without time zone, timestamptz, timestamp(6) with time zone, in any case and spacing.
    [GeneratedRegex(@"^\s*(timestamp\s*(\(\s*\d+\s*\))?(\s+with(out)?\s+time\s+zone)?|timestamptz\s*(\(\s*\d+\s*\))?)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex AnyTimestamp();

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex PlainName();

    [GeneratedRegex(@"^\s*(timestamp\s*(\(\s*\d+\s*\))?\s+with\s+time\s+zone|timestamptz\s*(\(\s*\d+\s*\))?)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex TimestampWithTimeZone();
}
