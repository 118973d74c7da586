using System.Collections.Concurrent;
using System.Data;
using System.Reflection;
using Npgsql;
using NpgsqlTypes;
using Premix.Mapping;

namespace Premix.Providers.PostgreSql;

/// <summary>
/// PostgreSQL's SQL: double-quoted identifiers, <c>RETURNING</c> for generated keys, and native types for everything
/// (<c>uuid</c>, <c>numeric</c>, <c>timestamptz</c>, <c>date</c>, <c>time</c>, <c>interval</c>, <c>bytea</c>).
/// </summary>
public sealed class PostgreSqlDialect : ISqlDialect, IArrayWriteDialect
{
    private static readonly Func<object, object> Timestamp = value => DateTime.SpecifyKind((DateTime)value, DateTimeKind.Unspecified);
    private static readonly Func<object, object> TimestampWithZone = value => ((DateTimeOffset)value).ToUniversalTime();
    private static readonly Func<object, object> SmallInt = value => (short)(byte)value;
    private static readonly ConcurrentDictionary<Type, Func<IReadOnlyList<object>, object>> ArrayBuilders = new();

    /// <inheritdoc />
    public string QuoteIdentifier(string identifier) => IdentifierQuoting.Quote(identifier, '"');

    /// <inheritdoc />
    public string Insert(string table, IReadOnlyList<string> columns, IReadOnlyList<string> parameters, string? generatedKey) =>
        InsertSql.WithReturning(table, columns, parameters, generatedKey, defaultValues: "DEFAULT VALUES");

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
        return type switch
        {
            _ when type == typeof(bool) => "boolean",
            _ when type == typeof(byte) || type == typeof(short) => "smallint",
            _ when type == typeof(int) => "integer",
            _ when type == typeof(long) => "bigint",
            _ when type == typeof(decimal) => $"numeric({property.Precision},{property.Scale})",
            _ when type == typeof(double) => "double precision",
            _ when type == typeof(float) => "real",
            _ when type == typeof(string) => ColumnTypes.TextLength(property) is { } length ? $"varchar({length})" : "text",
            _ when type == typeof(Guid) => "uuid",
            _ when type == typeof(DateTime) => "timestamp(6) without time zone",
            _ when type == typeof(DateTimeOffset) => "timestamp(6) with time zone",
            _ when type == typeof(DateOnly) => "date",
            _ when type == typeof(TimeOnly) => "time(6)",
            _ when type == typeof(TimeSpan) => "interval",
            _ when type == typeof(byte[]) => "bytea",
            _ => throw new NotSupportedException($"{property.Name}: PostgreSQL has no column type for {type.Name}."),
        };
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
    public string UpdateFromArrays(string table, IReadOnlyList<string> setColumns, IReadOnlyList<string> filterColumns, IReadOnlyList<string> arrays, string? versionColumn)
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
        return $"UPDATE {table} AS __t SET {string.Join(", ", set)} FROM {Unnest(arrays)} WHERE {string.Join(" AND ", filter)} RETURNING __v.__n";
    }

    /// <inheritdoc />
    public Type ArrayElementType(Type storageType) => storageType == typeof(byte) ? typeof(short) : storageType;

    /// <inheritdoc />
    public Delegate? ArrayElementConversion(Type storageType) =>
        storageType == typeof(DateTime) ? (Func<DateTime, DateTime>)(value => DateTime.SpecifyKind(value, DateTimeKind.Unspecified))
        : storageType == typeof(DateTimeOffset) ? (Func<DateTimeOffset, DateTimeOffset>)(value => value.ToUniversalTime())
        : storageType == typeof(byte) ? (Func<byte, short>)(value => value)
        : null;

    /// <inheritdoc />
    /// <remarks>
    /// An untyped array of <see cref="DateTime"/> or <see cref="DateTimeOffset"/> makes Npgsql look at every element to
    /// choose between <c>timestamp</c> and <c>timestamptz</c>; the column's type is known, so it is given.
    /// </remarks>
    public Action<IDbDataParameter>? ArrayParameterSetup(Type storageType) =>
        storageType == typeof(DateTime) ? parameter => ((NpgsqlParameter)parameter).NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Timestamp
        : storageType == typeof(DateTimeOffset) ? parameter => ((NpgsqlParameter)parameter).NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz
        : null;

    /// <inheritdoc />
    /// <remarks>
    /// <c>column = ANY(@p)</c> with one typed array: one SQL text (and one prepared statement) for lists of every length,
    /// no parameter limit, and PostgreSQL hashes a long array instead of comparing with each element in turn. The array
    /// gets the column's database type, as the arrays of many-row writes do.
    /// </remarks>
    public ListCondition InList(string columnSql, PropertyModel property, string parameter)
    {
        var storageType = ColumnTypes.StorageType(property);
        return new($"{columnSql} = ANY({parameter})", ArrayBuilders.GetOrAdd(ArrayElementType(storageType), BuildArrayOf), ArrayParameterSetup(storageType));
    }

    // The arrays as a table aliased __v with columns c0, c1, ... and the 1-based position __n.
    private static string Unnest(IReadOnlyList<string> arrays) =>
        $"unnest({string.Join(", ", arrays)}) WITH ORDINALITY AS __v({string.Join(", ", arrays.Select((_, i) => $"c{i}"))}, __n)";

    private static Func<IReadOnlyList<object>, object> BuildArrayOf(Type element) =>
        typeof(PostgreSqlDialect).GetMethod(nameof(ArrayOf), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(element).CreateDelegate<Func<IReadOnlyList<object>, object>>();

    // A T[] rather than an object[], so Npgsql knows the array's type even when it is empty.
    private static object ArrayOf<T>(IReadOnlyList<object> values)
    {
        var array = new T[values.Count];
        for (var i = 0; i < array.Length; i++)
        {
            array[i] = (T)values[i];
        }

        return array;
    }

    /// <inheritdoc />
    public Func<object, object>? ParameterConversion(Type valueType) =>
        valueType == typeof(DateTime) ? Timestamp // written as wall-clock time, whatever its Kind
        : valueType == typeof(DateTimeOffset) ? TimestampWithZone // Npgsql writes only offset 0 to timestamptz
        : valueType == typeof(byte) ? SmallInt
        : null;
}
