using System.Data.Common;
using System.Text.RegularExpressions;
using Premix.Mapping;
using Premix.Migrations;

namespace Premix.Providers.MySql;

/// <summary>MySQL/MariaDB's schema: read from information_schema; DDL commits implicitly, so a sync runs statement by statement.</summary>
internal sealed partial class MySqlSchemaDialect(ISqlDialect sql) : SchemaDialect(sql)
{
    private const string Scope = "(TABLE_SCHEMA = DATABASE() OR TABLE_SCHEMA IN @schemas)";

    // The largest MEDIUMTEXT or MEDIUMBLOB, in bytes.
    private const long MediumMax = (1 << 24) - 1;

    // The names MySQL accepts for a type, to the name COLUMN_TYPE reads back.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        // MariaDB's JSON is LONGTEXT with a json_valid check, and reads back as longtext: a JSON column compares equal to one.
        ["json"] = "longtext",
        ["integer"] = "int",
        ["int1"] = "tinyint",
        ["int2"] = "smallint",
        ["int3"] = "mediumint",
        ["middleint"] = "mediumint",
        ["int4"] = "int",
        ["int8"] = "bigint",
        ["dec"] = "decimal",
        ["numeric"] = "decimal",
        ["fixed"] = "decimal",
        ["real"] = "double",
        ["double precision"] = "double",
        ["float4"] = "float",
        ["float8"] = "double",
        ["character varying"] = "varchar",
        ["character"] = "char",
        ["nchar"] = "char",
        ["national char"] = "char",
        ["national character"] = "char",
        ["nvarchar"] = "varchar",
        ["national varchar"] = "varchar",
        ["national character varying"] = "varchar",
        ["long"] = "mediumtext",
        ["long varchar"] = "mediumtext",
        ["long varbinary"] = "mediumblob",
    };

    public override bool HasTransactionalDdl => false;

    public override async Task<DatabaseSchema> ReadAsync(DbConnection connection, IReadOnlyCollection<string> schemas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var args = ("schemas", (object)schemas.ToArray());
        var current = (await CatalogQueryAsync<string?>(connection, null, "SELECT DATABASE()", cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        string? SchemaOf(string name) => string.Equals(name, current, StringComparison.Ordinal) ? null : name;
        var schema = new SchemaReadBuilder();
        foreach (var table in await Query<TableRow>(connection, $"SELECT TABLE_SCHEMA AS SchemaName, TABLE_NAME AS Name, TABLE_TYPE AS Type FROM information_schema.TABLES WHERE TABLE_TYPE IN ('BASE TABLE', 'VIEW') AND {Scope} ORDER BY TABLE_SCHEMA, TABLE_NAME", args, cancellationToken).ConfigureAwait(false))
        {
            if (table.Type == "VIEW")
            {
                schema.View(table.SchemaName + "." + table.Name, SchemaOf(table.SchemaName), table.Name);
            }
            else
            {
                schema.Table(table.SchemaName + "." + table.Name, SchemaOf(table.SchemaName), table.Name);
            }
        }

        const string ColumnsSql = $"SELECT TABLE_SCHEMA AS SchemaName, TABLE_NAME AS TableName, COLUMN_NAME AS Name, COLUMN_TYPE AS Type, IS_NULLABLE AS Nullable, COLUMN_DEFAULT AS DefaultSql, EXTRA AS Extra FROM information_schema.COLUMNS WHERE {Scope} ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION";
        foreach (var column in await Query<ColumnRow>(connection, ColumnsSql, args, cancellationToken).ConfigureAwait(false))
        {
            var defaultSql = column.DefaultSql is null || (column.Nullable == "YES" && column.DefaultSql == "NULL") ? null : column.DefaultSql;
            // ON UPDATE rides with the default (DEFAULT x ON UPDATE y, as DDL writes it): a scaffolded mapping keeps it, and a
            // MODIFY COLUMN, which restates the whole column, does not drop it. A NOT NULL column without a default cannot say it so.
            if (OnUpdate().Match(column.Extra) is { Success: true } onUpdate && (defaultSql is not null || column.Nullable == "YES"))
            {
                defaultSql = $"{defaultSql ?? "NULL"} ON UPDATE {onUpdate.Groups["value"].Value}";
            }

            schema.Column(column.SchemaName + "." + column.TableName, new ColumnSchema(column.Name, column.Type, column.Nullable == "YES", defaultSql, column.Extra.Contains("auto_increment", StringComparison.OrdinalIgnoreCase)));
        }

        const string ForeignKeysSql = $"SELECT k.TABLE_SCHEMA AS SchemaName, k.TABLE_NAME AS TableName, k.CONSTRAINT_NAME AS Name, k.COLUMN_NAME AS ColumnName, k.REFERENCED_TABLE_SCHEMA AS PrincipalSchema, k.REFERENCED_TABLE_NAME AS PrincipalTable, k.REFERENCED_COLUMN_NAME AS PrincipalColumn, r.DELETE_RULE AS OnDelete FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME WHERE k.REFERENCED_TABLE_NAME IS NOT NULL AND (k.TABLE_SCHEMA = DATABASE() OR k.TABLE_SCHEMA IN @schemas) ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION";
        var foreignKeys = (await Query<ForeignKeyRow>(connection, ForeignKeysSql, args, cancellationToken).ConfigureAwait(false)).GroupBy(k => (k.SchemaName, k.TableName, k.Name)).ToList();
        foreach (var key in foreignKeys)
        {
            var first = key.First();
            var onDelete = first.OnDelete switch { "CASCADE" => ReferentialAction.Cascade, "SET NULL" => ReferentialAction.SetNull, _ => ReferentialAction.NoAction };
            schema.ForeignKey(first.SchemaName + "." + first.TableName, new ForeignKeySchema(first.Name, key.Select(k => k.ColumnName).ToList(), SchemaOf(first.PrincipalSchema), first.PrincipalTable, key.Select(k => k.PrincipalColumn).ToList(), onDelete));
        }

        // CHECK_CONSTRAINTS names a check per schema on MySQL and per table on MariaDB: TABLE_CONSTRAINTS says which table.
        const string ChecksSql = "SELECT t.TABLE_SCHEMA AS SchemaName, t.TABLE_NAME AS TableName, t.CONSTRAINT_NAME AS Name, MIN(c.CHECK_CLAUSE) AS Definition FROM information_schema.TABLE_CONSTRAINTS t JOIN information_schema.CHECK_CONSTRAINTS c ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME WHERE t.CONSTRAINT_TYPE = 'CHECK' AND (t.TABLE_SCHEMA = DATABASE() OR t.TABLE_SCHEMA IN @schemas) GROUP BY t.TABLE_SCHEMA, t.TABLE_NAME, t.CONSTRAINT_NAME ORDER BY t.TABLE_SCHEMA, t.TABLE_NAME, t.CONSTRAINT_NAME";
        foreach (var check in await Query<CheckRow>(connection, ChecksSql, args, cancellationToken).ConfigureAwait(false))
        {
            schema.Check(check.SchemaName + "." + check.TableName, check.Name, check.Definition);
        }

        const string IndexesSql = $"SELECT TABLE_SCHEMA AS SchemaName, TABLE_NAME AS TableName, INDEX_NAME AS Name, NON_UNIQUE AS NonUnique, COLUMN_NAME AS ColumnName, INDEX_TYPE AS IndexType, SUB_PART AS Prefix, COLLATION AS `Order` FROM information_schema.STATISTICS WHERE {Scope} ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";
        foreach (var index in (await Query<IndexRow>(connection, IndexesSql, args, cancellationToken).ConfigureAwait(false)).GroupBy(i => (i.SchemaName, i.TableName, i.Name)))
        {
            var table = index.Key.SchemaName + "." + index.Key.TableName;
            if (index.Key.Name == "PRIMARY")
            {
                schema.PrimaryKey(table, index.Select(i => i.ColumnName!).ToList());
            }
            else if (!foreignKeys.Any(k => k.Key == index.Key))
            {
                // An index named like a foreign key is the one MySQL created to back it: it goes with the key, not the mapping.
                var parts = index.ToList();
                schema.Index(table, new IndexSchema(index.Key.Name, parts.Select(i => i.ColumnName).OfType<string>().ToList(), parts[0].NonUnique == 0) { Definition = Definition(parts) });
            }
        }

        return schema.Build();
    }

    // COLUMN_TYPE's spellings, the reverse of MySqlDialect.ColumnType. Unsigned integers take the next wider type;
    // CHAR(36) is a Guid, as MySqlConnector reads it; TIME is a TimeSpan, as the driver returns it. ENUM and SET are
    // strings and YEAR an int, as MySqlConnector reads and writes them, keeping their own column type.
    public override ColumnClrType? ClrType(ColumnSchema column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (EnumOrSet().IsMatch(column.StoreType))
        {
            return new(typeof(string), ColumnType: column.StoreType);
        }

        var (name, args) = SplitType(column.StoreType.Replace(" zerofill", string.Empty, StringComparison.OrdinalIgnoreCase));
        return name switch
        {
            "tinyint" when args is [1] => new(typeof(bool)),
            "bool" or "boolean" => new(typeof(bool)),
            "tinyint unsigned" => new(typeof(byte)),
            "tinyint" or "smallint" => new(typeof(short)),
            "smallint unsigned" or "mediumint" or "mediumint unsigned" or "int" or "integer" => new(typeof(int)),
            "int unsigned" or "integer unsigned" or "bigint" => new(typeof(long)),
            "decimal" or "numeric" => DecimalType(args),
            "double" or "double precision" or "real" or "float" => new(typeof(double)),
            "char" when args is [36] => new(typeof(Guid)),
            "varchar" or "char" => SizedType(typeof(string), args),
            "tinytext" or "text" or "mediumtext" or "longtext" => new(typeof(string)),
            "datetime" or "timestamp" => new(typeof(DateTime)),
            "date" => new(typeof(DateOnly)),
            "time" => new(typeof(TimeSpan)),
            "varbinary" or "binary" => SizedType(typeof(byte[]), args),
            "tinyblob" or "blob" or "mediumblob" or "longblob" => new(typeof(byte[])),
            "year" => new(typeof(int), ColumnType: column.StoreType),
            _ => null,
        };
    }

    protected override string IdentityClause(ColumnSchema column) => " AUTO_INCREMENT";

    protected override IEnumerable<string> AlterColumnSql(AlterColumn alter)
    {
        ArgumentNullException.ThrowIfNull(alter);
        yield return $"ALTER TABLE {Table(alter.Table)} MODIFY COLUMN {ColumnDefinition(alter.To)}";
    }

    protected override string DropIndexSql(DropIndex index) => $"DROP INDEX {Quote(index.Index.Name)} ON {Table(index.Table)}";

    protected override string DropForeignKeySql(DropForeignKey drop) => $"ALTER TABLE {Table(drop.Table)} DROP FOREIGN KEY {Quote(drop.ForeignKey.Name)}";

    // One spelling per type, so that a mapping's HasColumnType, the DDL Premix writes and COLUMN_TYPE compare equal.
    protected override string NormalizeType(string type)
    {
        var (name, args, modifiers) = Canonical(type);
        return base.NormalizeType(name + (args.Length == 0 ? string.Empty : "(" + string.Join(",", args) + ")") + modifiers);
    }

    // What each type holds. TEXT and BLOB limits are bytes: a TEXT holds 65535 one-byte characters, but only 16383 four-byte
    // ones (utf8mb4). CHAR is no padded type here: MySQL strips the padding when it reads one.
    // An ENUM that keeps every label it had (a member added to a StoredAsEnumType enum) holds every value: MySQL maps the
    // stored values by label when it rebuilds the column.
    public override TypeChange CompareTypes(string from, string to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        return EnumLabels(from) is { } old && EnumLabels(to) is { } wider && !SameType(from, to) && old.All(wider.Contains)
            ? TypeChange.Widening
            : base.CompareTypes(from, to);
    }

    private static HashSet<string>? EnumLabels(string type) =>
        EnumType().Match(type.Trim()) is { Success: true } match
            ? MySqlEnumLabels.Parse(match.Groups["labels"].Value).ToHashSet(StringComparer.Ordinal)
            : null;

    protected override TypeCapacity? Capacity(string type)
    {
        var (name, args, modifiers) = Canonical(type);
        var unsigned = modifiers.Contains("unsigned", StringComparison.Ordinal);
        return (name, args) switch
        {
            ("tinyint", _) => TypeCapacity.Integer(1, unsigned),
            ("smallint", _) => TypeCapacity.Integer(2, unsigned),
            ("mediumint", _) => TypeCapacity.Integer(3, unsigned),
            ("int", _) => TypeCapacity.Integer(4, unsigned),
            ("bigint", _) => TypeCapacity.Integer(8, unsigned),
            ("decimal", [var precision, var scale]) => TypeCapacity.Decimal(precision, scale),
            ("float", []) => TypeCapacity.Float(24),
            ("double", []) => TypeCapacity.Float(53),
            ("varchar" or "char", [var length]) => TypeCapacity.Text(length),
            ("tinytext", _) => TypeCapacity.Text(byte.MaxValue / 4, byte.MaxValue),
            ("text", _) => TypeCapacity.Text(ushort.MaxValue / 4, ushort.MaxValue),
            ("mediumtext", _) => TypeCapacity.Text(MediumMax / 4, MediumMax),
            ("longtext", _) => TypeCapacity.Text(uint.MaxValue / 4, uint.MaxValue),
            ("varbinary", [var length]) => TypeCapacity.Binary(length),
            ("binary", [var length]) => TypeCapacity.PaddedBinary(length),
            ("tinyblob", _) => TypeCapacity.Binary(byte.MaxValue),
            ("blob", _) => TypeCapacity.Binary(ushort.MaxValue),
            ("mediumblob", _) => TypeCapacity.Binary(MediumMax),
            ("longblob", _) => TypeCapacity.Binary(uint.MaxValue),
            ("datetime", _) => TypeCapacity.DateTime(args is [var digits] ? digits : 0, 1000, 9999),
            ("timestamp", _) => TypeCapacity.DateTime(args is [var digits] ? digits : 0, 1970, 2038),
            ("time", _) => TypeCapacity.Time(args is [var digits] ? digits : 0),
            _ => null,
        };
    }

    // A type as COLUMN_TYPE spells it: the alias's real name (integer is int, bool is tinyint(1), numeric is decimal),
    // no display width on integers (int(11), smallint(5) unsigned), but for tinyint(1), the boolean; the default
    // arguments written out (decimal is decimal(10,0), char is char(1)) or left out (datetime(0) is datetime, float(53)
    // is double); no character set or collation, which belong to the column, not its type.
    private static (string Name, int[] Args, string Modifiers) Canonical(string type)
    {
        var (full, args) = SplitType(CharsetOrCollation().Replace(type, string.Empty));
        var words = full.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var modifiers = string.Concat(words.Where(w => w is "unsigned" or "zerofill").Select(w => " " + w));
        var name = string.Join(' ', words.Where(w => w is not ("unsigned" or "zerofill" or "signed")));
        name = Aliases.GetValueOrDefault(name, name);
        args = (name, args) switch
        {
            ("bool" or "boolean", _) => [1],
            ("tinyint", [1]) when modifiers.Length == 0 => args,
            ("tinyint" or "smallint" or "mediumint" or "int" or "bigint", _) => [],
            ("decimal", []) => [10, 0],
            ("decimal", [var precision]) => [precision, 0],
            ("char" or "binary" or "bit", []) => [1],
            ("datetime" or "timestamp" or "time", [0]) => [],
            ("year", [4]) => [],
            _ => args,
        };
        return (name, args) switch
        {
            ("bool" or "boolean", _) => ("tinyint", args, modifiers),
            ("float", [> 24]) => ("double", [], modifiers),
            ("float", [_]) => ("float", [], modifiers),
            _ => (name, args, modifiers),
        };
    }

    // MariaDB quotes literal defaults and writes current_timestamp(), or current_timestamp(6) for a DATETIME(6) column
    // declared DEFAULT CURRENT_TIMESTAMP (the same clock, at the column's precision); NULL as a default is no default.
    protected override string? NormalizeDefault(string? sql) =>
        base.NormalizeDefault(sql) is { } normalized && CurrentTimestamp().Replace(normalized, "current_timestamp") is var text && text != "null" ? text : null;

    // FULLTEXT and SPATIAL indexes, column prefixes, descending parts and MySQL 8's expressions (a part without a column)
    // make an index more than a plain one: its definition is written out as MySQL would create it.
    private string? Definition(List<IndexRow> parts)
    {
        var kind = parts[0].IndexType is "FULLTEXT" or "SPATIAL" ? parts[0].IndexType + " " : parts[0].NonUnique == 0 ? "UNIQUE " : string.Empty;
        if (kind is not ("FULLTEXT " or "SPATIAL ") && parts.All(p => p.ColumnName is not null && p.Prefix is null && p.Order != "D"))
        {
            return null;
        }

        var columns = parts.Select(p => (p.ColumnName is null ? "(an expression)" : Quote(p.ColumnName))
            + (p.Prefix is { } prefix ? $"({prefix})" : string.Empty) + (p.Order == "D" ? " DESC" : string.Empty));
        return $"CREATE {kind}INDEX {Quote(parts[0].Name)} ON {Quote(parts[0].TableName)} ({string.Join(", ", columns)})";
    }

    private static Task<List<T>> Query<T>(DbConnection connection, string sql, (string, object) args, CancellationToken cancellationToken) =>
        CatalogQueryAsync<T>(connection, null, sql, cancellationToken, args);

    [GeneratedRegex(@"\s+(character\s+set|charset|collate)\s+\w+", RegexOptions.IgnoreCase)]
    private static partial Regex CharsetOrCollation();

    [GeneratedRegex(@"\bon update (?<value>[a-z_]+(\(\d*\))?)", RegexOptions.IgnoreCase)]
    private static partial Regex OnUpdate();

    [GeneratedRegex(@"current_timestamp\(\d*\)")]
    private static partial Regex CurrentTimestamp();

    // The labels inside are quoted literals, parsed by MySqlEnumLabels (a label may hold a comma or a quote).
    [GeneratedRegex(@"^enum\((?<labels>.*)\)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex EnumType();

    [GeneratedRegex(@"^(enum|set)\(.*\)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex EnumOrSet();

    private sealed record TableRow(string SchemaName, string Name, string Type);

    private sealed record ColumnRow(string SchemaName, string TableName, string Name, string Type, string Nullable, string? DefaultSql, string Extra);

    private sealed record IndexRow(string SchemaName, string TableName, string Name, long NonUnique, string? ColumnName, string IndexType, long? Prefix, string? Order);

    private sealed record CheckRow(string SchemaName, string TableName, string Name, string Definition);

    private sealed record ForeignKeyRow(string SchemaName, string TableName, string Name, string ColumnName, string PrincipalSchema, string PrincipalTable, string PrincipalColumn, string OnDelete);
}
