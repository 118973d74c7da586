using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Premix.Mapping;
using Premix.Migrations;

namespace Premix.Providers.PostgreSql;

/// <summary>PostgreSQL's schema: read from pg_catalog, changed with transactional DDL.</summary>
internal sealed partial class PostgreSqlSchemaDialect(ISqlDialect sql) : SchemaDialect(sql)
{
    private const string TablesSql = """
        SELECT c.oid::bigint AS Oid, CASE WHEN n.nspname = current_schema() THEN NULL ELSE n.nspname END AS SchemaName, c.relname AS Name,
               c.relkind IN ('v', 'm') AS IsView
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm') AND (n.nspname = current_schema() OR n.nspname = ANY(@schemas))
        ORDER BY n.nspname, c.relname
        """;

    // A column of a domain reads as the domain's base type (NOT NULL if the domain says so); an enum's labels come along,
    // also for an array of an enum (rating[]: el is its element type), and a composite type's attributes, names and types.
    private const string ColumnsSql = """
        SELECT a.attrelid::bigint AS Oid, a.attname AS Name,
               CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) ELSE format_type(a.atttypid, a.atttypmod) END AS Type,
               CASE WHEN t.typtype = 'd' THEN format_type(a.atttypid, NULL) END AS Domain,
               NOT a.attnotnull AND NOT (t.typtype = 'd' AND t.typnotnull) AS IsNullable,
               pg_get_expr(d.adbin, d.adrelid) AS DefaultSql, a.attidentity <> '' AS IsIdentity,
               CASE WHEN b.typtype = 'e' OR el.typtype = 'e' THEN array(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = COALESCE(el.oid, b.oid) ORDER BY e.enumsortorder) END AS EnumLabels,
               CASE WHEN b.typtype = 'c' THEN array(SELECT ca.attname::text FROM pg_attribute ca WHERE ca.attrelid = b.typrelid AND ca.attnum > 0 AND NOT ca.attisdropped ORDER BY ca.attnum) END AS AttributeNames,
               CASE WHEN b.typtype = 'c' THEN array(SELECT format_type(ca.atttypid, ca.atttypmod) FROM pg_attribute ca WHERE ca.attrelid = b.typrelid AND ca.attnum > 0 AND NOT ca.attisdropped ORDER BY ca.attnum) END AS AttributeTypes
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
             JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
             LEFT JOIN pg_type el ON el.oid = b.typelem AND b.typcategory = 'A'
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = ANY(@oids) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attrelid, a.attnum
        """;

    // The key columns (not the INCLUDE ones, nor expressions); the index's own definition when it is more than a plain
    // ascending b-tree over them with the default operator classes.
    private const string IndexesSql = """
        SELECT i.indrelid::bigint AS Oid, ic.relname AS Name, i.indisunique AS IsUnique, i.indisprimary AS IsPrimary,
               array(SELECT a.attname::text FROM unnest((i.indkey::int2[])[0:i.indnkeyatts - 1]) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord) AS Columns,
               CASE WHEN am.amname = 'btree' AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indnkeyatts = i.indnatts
                         AND 0 = ALL (i.indoption::int2[])
                         AND NOT EXISTS (SELECT 1 FROM unnest(i.indclass::oid[]) c JOIN pg_opclass o ON o.oid = c WHERE NOT o.opcdefault)
                    THEN NULL ELSE pg_get_indexdef(i.indexrelid) END AS Definition
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
        WHERE i.indrelid = ANY(@oids)
        ORDER BY i.indrelid, ic.relname
        """;

    private const string ForeignKeysSql = """
        SELECT con.conrelid::bigint AS Oid, con.conname AS Name,
               CASE WHEN pn.nspname = current_schema() THEN NULL ELSE pn.nspname END AS PrincipalSchema, pc.relname AS PrincipalTable,
               con.confdeltype::text AS OnDelete,
               array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS Columns,
               array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS PrincipalColumns
        FROM pg_constraint con JOIN pg_class pc ON pc.oid = con.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace
        WHERE con.contype = 'f' AND con.conrelid = ANY(@oids)
        ORDER BY con.conrelid, con.conname
        """;

    private const string ChecksSql = """
        SELECT con.conrelid::bigint AS Oid, con.conname AS Name, pg_get_expr(con.conbin, con.conrelid) AS Definition
        FROM pg_constraint con
        WHERE con.contype = 'c' AND con.conrelid = ANY(@oids)
        ORDER BY con.conrelid, con.conname
        """;

    // The names PostgreSQL accepts for the same type, to the name format_type reads back (character varying excepted).
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["timestamptz"] = "timestamp with time zone",
        ["timestamp"] = "timestamp without time zone",
        ["timetz"] = "time with time zone",
        ["time"] = "time without time zone",
        ["character varying"] = "varchar",
        ["int"] = "integer",
        ["int4"] = "integer",
        ["int8"] = "bigint",
        ["int2"] = "smallint",
        ["bool"] = "boolean",
        ["float8"] = "double precision",
        ["float4"] = "real",
        ["decimal"] = "numeric",
        ["char"] = "character",
        ["bpchar"] = "character",
    };

    // Digits after the point a numeric without precision keeps (PostgreSQL's documented limit).
    private const int UnconstrainedNumericScale = 16383;

    public override bool HasTransactionalDdl => true;

    public override async Task<DatabaseSchema> ReadAsync(DbConnection connection, IReadOnlyCollection<string> schemas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var schema = new SchemaReadBuilder();
        var tables = await CatalogQueryAsync<TableRow>(connection, null, TablesSql, cancellationToken, ("schemas", schemas.ToArray())).ConfigureAwait(false);
        foreach (var table in tables)
        {
            if (table.IsView)
            {
                schema.View(Key(table.Oid), table.SchemaName, table.Name);
            }
            else
            {
                schema.Table(Key(table.Oid), table.SchemaName, table.Name);
            }
        }

        var oids = ("oids", (object)tables.Select(t => t.Oid).ToArray());
        foreach (var column in await CatalogQueryAsync<ColumnRow>(connection, null, ColumnsSql, cancellationToken, oids).ConfigureAwait(false))
        {
            schema.Column(Key(column.Oid), new ColumnSchema(column.Name, column.Type, column.IsNullable, column.DefaultSql, column.IsIdentity) { Domain = column.Domain, EnumLabels = column.EnumLabels, CompositeAttributes = column.Attributes() });
        }

        foreach (var index in await CatalogQueryAsync<IndexRow>(connection, null, IndexesSql, cancellationToken, oids).ConfigureAwait(false))
        {
            if (index.IsPrimary)
            {
                schema.PrimaryKey(Key(index.Oid), index.Columns);
            }
            else
            {
                schema.Index(Key(index.Oid), new IndexSchema(index.Name, index.Columns, index.IsUnique) { Definition = index.Definition });
            }
        }

        foreach (var key in await CatalogQueryAsync<ForeignKeyRow>(connection, null, ForeignKeysSql, cancellationToken, oids).ConfigureAwait(false))
        {
            var onDelete = key.OnDelete switch { "c" => ReferentialAction.Cascade, "n" => ReferentialAction.SetNull, _ => ReferentialAction.NoAction };
            schema.ForeignKey(Key(key.Oid), new ForeignKeySchema(key.Name, key.Columns, key.PrincipalSchema, key.PrincipalTable, key.PrincipalColumns, onDelete));
        }

        foreach (var check in await CatalogQueryAsync<CheckRow>(connection, null, ChecksSql, cancellationToken, oids).ConfigureAwait(false))
        {
            schema.Check(Key(check.Oid), check.Name, check.Definition);
        }

        return schema.Build();
    }

    protected override string ExactlyOneSetSql(IReadOnlyList<string> quotedColumns) => $"num_nonnulls({string.Join(", ", quotedColumns)}) = 1";

    // format_type's spellings, the reverse of PostgreSqlDialect.ColumnType (char(n) reads as a string too).
    public override ColumnClrType? ClrType(ColumnSchema column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (column.StoreType.TrimEnd().EndsWith("[]", StringComparison.Ordinal) && column.EnumLabels is null)
        {
            // An array of a type Premix stores as an array element is a T[] property (integer[] gives int[]), its type named in
            // code (PostgreSqlArrayBuilders) rather than made (MakeArrayType), which native AOT may not have the code for.
            // An element type with digits or a length of its own (varchar(20)[]) is kept with HasColumnType.
            return ClrType(column with { StoreType = column.StoreType.TrimEnd()[..^2] }) is { Type: var element } scalar
                && ArrayTypes.ScalarElements.Contains(element) && PostgreSqlArrayBuilders.ArrayType(element) is { } array
                ? new(array, ColumnType: scalar is { MaxLength: null, Precision: null, ColumnType: null } ? null : column.StoreType)
                : null;
        }

        var (name, args) = SplitType(column.StoreType);
        return name switch
        {
            "boolean" or "bool" => new(typeof(bool)),
            "smallint" or "int2" => new(typeof(short)),
            "integer" or "int" or "int4" => new(typeof(int)),
            "bigint" or "int8" => new(typeof(long)),
            "numeric" or "decimal" => DecimalType(args),
            "real" or "float4" => new(typeof(float)),
            "double precision" or "float8" => new(typeof(double)),
            "character varying" or "varchar" or "character" or "char" or "bpchar" => SizedType(typeof(string), args),
            "text" or "citext" => new(typeof(string)),
            "uuid" => new(typeof(Guid)),
            "timestamp without time zone" or "timestamp" => new(typeof(DateTime)),
            "timestamp with time zone" or "timestamptz" => new(typeof(DateTimeOffset)),
            "date" => new(typeof(DateOnly)),
            "time without time zone" or "time" => new(typeof(TimeOnly)),
            "interval" => new(typeof(TimeSpan)),
            "bytea" => new(typeof(byte[])),
            _ when PostgreSqlRanges.ClrType(name) is { } range => new(range),
            _ => null,
        };
    }

    // The attribute types a StoredAsCompositeType class may have (PostgreSqlCompositeTypes), read as ClrType reads columns.
    public override Type? CompositeAttributeType(ColumnSchema attribute) =>
        ClrType(attribute) is { Type: var type } && PostgreSqlCompositeTypes.AttributeType(type) is not null ? type : null;

    // A serial key, or one with a nextval(...) default of its own: INSERT ... RETURNING reads it back like an identity's.
    public override bool IsGenerated(ColumnSchema column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return column.IsIdentity || (column.DefaultSql is { } sql && sql.StartsWith("nextval(", StringComparison.OrdinalIgnoreCase));
    }

    protected override string IdentityClause(ColumnSchema column) => " GENERATED BY DEFAULT AS IDENTITY";

    // The enum types of StoredAsEnumType columns exist before a table or column uses them, and gain the labels the mapping adds;
    // the composite types of StoredAsCompositeType columns too, and follow the attributes of their class.
    public override IEnumerable<string> Render(SchemaOperation operation) => operation is AlterCompositeType alter
        ? PostgreSqlCompositeTypes.Alter(alter, Quote)
        : PostgreSqlEnumTypes.Before(operation).Concat(PostgreSqlCompositeTypes.Before(operation, Quote)).Concat(base.Render(operation));

    public override IReadOnlyList<CompositeAttributeSchema>? CompositeAttributes(DatabaseComposite composite) => PostgreSqlCompositeTypes.Attributes(composite);

    // Npgsql knows a type by the catalog it loaded when the data source first connected: after a sync that made or changed
    // an enum type it reloads it, so the labels Premix sends as that type are understood.
    public override async Task ApplyAsync(DbConnection connection, IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(statements);
        await base.ApplyAsync(connection, statements, cancellationToken).ConfigureAwait(false);
        if (statements.Any(PostgreSqlEnumTypes.ChangesType) && connection is Npgsql.NpgsqlConnection npgsql)
        {
            await npgsql.ReloadTypesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override IEnumerable<string> AlterColumnSql(AlterColumn alter)
    {
        ArgumentNullException.ThrowIfNull(alter);
        var column = $"ALTER TABLE {Table(alter.Table)} ALTER COLUMN {Quote(alter.To.Name)}";
        if (!SameType(alter.To.StoreType, alter.From.StoreType))
        {
            yield return $"{column} TYPE {alter.To.StoreType} USING {Quote(alter.To.Name)}::{alter.To.StoreType}";
        }

        if (alter.From.IsNullable != alter.To.IsNullable)
        {
            yield return $"{column} {(alter.To.IsNullable ? "DROP" : "SET")} NOT NULL";
        }

        // A serial key's sequence default is how the database generates the key the mapping wants generated, and what other
        // writers count on when the mapping assigns keys itself: it stays unless the mapping names a default of its own.
        var generated = IsGenerated(alter.From);
        if (!(alter.To.DefaultSql is null && generated) && !SameDefault(alter.To.DefaultSql, alter.From.DefaultSql))
        {
            yield return alter.To.DefaultSql is null ? $"{column} DROP DEFAULT" : $"{column} SET DEFAULT {alter.To.DefaultSql}";
        }

        if (alter.To.IsIdentity && !generated)
        {
            yield return $"{column} ADD GENERATED BY DEFAULT AS IDENTITY";
            // A new identity counts from 1: it starts past the rows the table holds, or the next insert would collide with them.
            var literalTable = Literal(Table(alter.Table));
            yield return $"SELECT setval(pg_get_serial_sequence({literalTable}, {Literal(alter.To.Name)}), COALESCE(MAX({Quote(alter.To.Name)}), 0) + 1, false) FROM {Table(alter.Table)}";
        }
        else if (!alter.To.IsIdentity && alter.From.IsIdentity)
        {
            yield return $"{column} DROP IDENTITY";
        }
    }

    // One spelling per type, so a mapping's HasColumnType("timestamptz"), the DDL Premix writes ("timestamp(6) with time
    // zone") and what format_type reads back from a column made by hand ("timestamp with time zone") compare equal.
    // Times keep microseconds by default: a precision of 6 is no precision.
    protected override string NormalizeType(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.TrimEnd().EndsWith("[]", StringComparison.Ordinal))
        {
            return NormalizeType(type.TrimEnd()[..^2]) + "[]"; // an array of its element type (int4[] is integer[])
        }

        var (name, args) = SplitType(type);
        name = Aliases.GetValueOrDefault(name, name);
        var precision = args.Length == 0 ? string.Empty : "(" + string.Join(",", args) + ")";
        var canonical = name switch
        {
            "timestamp with time zone" or "timestamp without time zone" or "time with time zone" or "time without time zone" =>
                name.Insert(name.IndexOf(' ', StringComparison.Ordinal), args is [6] ? string.Empty : precision),
            _ => name + precision,
        };
        return base.NormalizeType(canonical);
    }

    // pg_get_expr adds casts to literals ('new'::character varying) and spells CURRENT_TIMESTAMP as now() when written so.
    protected override string? NormalizeDefault(string? sql) =>
        base.NormalizeDefault(sql is null ? null : Cast().Replace(sql, string.Empty))?.Replace("now()", "current_timestamp", StringComparison.Ordinal);

    // What each type holds, for telling a widening from a loss; the range of timestamp is PostgreSQL's documented one.
    protected override TypeCapacity? Capacity(string type)
    {
        var (name, args) = SplitType(type);
        return Aliases.GetValueOrDefault(name, name) switch
        {
            "smallint" => TypeCapacity.Integer(2),
            "integer" => TypeCapacity.Integer(4),
            "bigint" => TypeCapacity.Integer(8),
            "numeric" => args switch
            {
                [var precision] => TypeCapacity.Decimal(precision, 0),
                [var precision, var scale] => TypeCapacity.Decimal(precision, scale),
                _ => TypeCapacity.Number(double.NegativeInfinity, double.PositiveInfinity, UnconstrainedNumericScale),
            },
            "real" => TypeCapacity.Float(24),
            "double precision" => TypeCapacity.Float(53),
            "varchar" => TypeCapacity.Text(args is [var length] ? length : TypeCapacity.Unlimited),
            "text" => TypeCapacity.Text(TypeCapacity.Unlimited),
            "character" => TypeCapacity.PaddedText(args is [var length] ? length : 1),
            "bytea" => TypeCapacity.Binary(TypeCapacity.Unlimited),
            "timestamp without time zone" => TypeCapacity.DateTime(args is [var digits] ? digits : 6, -4713, 294276),
            "timestamp with time zone" => TypeCapacity.Instant(args is [var digits] ? digits : 6),
            "time without time zone" => TypeCapacity.Time(args is [var digits] ? digits : 6),
            _ => null,
        };
    }

    internal static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Key(long oid) => oid.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"::[a-z ]+(\(\d+(,\d+)?\))?(\[\])?", RegexOptions.IgnoreCase)]
    private static partial Regex Cast();

    private sealed record TableRow(long Oid, string? SchemaName, string Name, bool IsView);

    // Classes, not records: Dapper matches constructors by field type, and a text[] column's is System.Array.
    private sealed class ColumnRow
    {
        public long Oid { get; init; }

        public string Name { get; init; } = "";

        public string Type { get; init; } = "";

        public string? Domain { get; init; }

        public bool IsNullable { get; init; }

        public string? DefaultSql { get; init; }

        public bool IsIdentity { get; init; }

        public string[]? EnumLabels { get; init; }

        public string[]? AttributeNames { get; init; }

        public string[]? AttributeTypes { get; init; }

        public CompositeAttributeSchema[]? Attributes() => AttributeNames?.Zip(AttributeTypes!, (name, type) => new CompositeAttributeSchema(name, type)).ToArray();
    }

    private sealed class IndexRow
    {
        public long Oid { get; init; }

        public string Name { get; init; } = "";

        public bool IsUnique { get; init; }

        public bool IsPrimary { get; init; }

        public string[] Columns { get; init; } = [];

        public string? Definition { get; init; }
    }

    private sealed record CheckRow(long Oid, string Name, string Definition);

    private sealed class ForeignKeyRow
    {
        public long Oid { get; init; }

        public string Name { get; init; } = "";

        public string? PrincipalSchema { get; init; }

        public string PrincipalTable { get; init; } = "";

        public string OnDelete { get; init; } = "";

        public string[] Columns { get; init; } = [];

        public string[] PrincipalColumns { get; init; } = [];
    }
}
