using System.Data.Common;
using Premix.Mapping;
using Premix.Migrations;

namespace Premix.Providers.Sqlite;

/// <summary>
/// SQLite's schema: read through its pragma functions; what ALTER TABLE cannot do (change a column, add or drop a
/// foreign key, drop a column) is done by rebuilding the table as sqlite.org documents, keeping the rows.
/// </summary>
internal sealed class SqliteSchemaDialect(ISqlDialect sql) : SchemaDialect(sql)
{
    private const string RebuildPrefix = "premix_rebuild_";
    private const string AutoIndexPrefix = "sqlite_autoindex_";

    public override bool HasTransactionalDdl => true;

    // An INTEGER primary key is always SQLite's rowid, generated whenever no value is given: right for a key the mapping
    // generates, and for one it assigns (a rowid takes the value given).
    public override bool SameGeneration(ColumnSchema desired, ColumnSchema actual)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(actual);
        return !desired.IsIdentity || actual.IsIdentity;
    }

    // A declared type is free text: SQLite stores values by the type's affinity alone, so two types of one affinity are
    // the same (NVARCHAR(160) is TEXT). A change of affinity converts the stored values, except into a column of no
    // (BLOB) affinity, which keeps every value as it is, or into NUMERIC, which keeps integers and reals as they are.
    public override TypeChange CompareTypes(string from, string to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        return (Affinity(from), Affinity(to)) switch
        {
            var (old, wider) when old == wider => TypeChange.Same,
            (_, "BLOB") or ("INTEGER" or "REAL", "NUMERIC") => TypeChange.Widening,
            _ => TypeChange.MayLoseValues,
        };
    }

    protected override string NormalizeType(string type) => Affinity(type);

    public override async Task<DatabaseSchema> ReadAsync(DbConnection connection, IReadOnlyCollection<string> schemas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var schema = new SchemaReadBuilder();
        var views = await Query<string>(connection, "SELECT name FROM sqlite_schema WHERE type = 'view' ORDER BY name", null, cancellationToken).ConfigureAwait(false);
        foreach (var view in views)
        {
            schema.View(view, null, view);
            try
            {
                foreach (var column in await Query<ColumnRow>(connection, "SELECT name AS Name, type AS Type FROM pragma_table_info(@view) ORDER BY cid", ("view", view), cancellationToken).ConfigureAwait(false))
                {
                    schema.Column(view, new ColumnSchema(column.Name, column.Type, true, null, false));
                }
            }
            catch (DatabaseCommandException)
            {
                // A view over a table that no longer exists cannot be read; it stays listed, without columns.
            }
        }

        var tables = await Query<string>(connection, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name", null, cancellationToken).ConfigureAwait(false);
        foreach (var table in tables)
        {
            schema.Table(table, null, table);
            var columns = await Query<ColumnRow>(connection, "SELECT name AS Name, type AS Type, \"notnull\" AS IsNotNull, CAST(dflt_value AS TEXT) AS DefaultSql, pk AS KeyOrdinal FROM pragma_table_info(@table) ORDER BY cid", ("table", table), cancellationToken).ConfigureAwait(false);
            var key = columns.Where(c => c.KeyOrdinal > 0).OrderBy(c => c.KeyOrdinal).Select(c => c.Name).ToList();
            foreach (var column in columns)
            {
                var isRowid = key.Count == 1 && key[0] == column.Name && string.Equals(column.Type, "INTEGER", StringComparison.OrdinalIgnoreCase);
                schema.Column(table, new ColumnSchema(column.Name, column.Type, column.IsNotNull == 0 && column.KeyOrdinal == 0, column.DefaultSql, isRowid));
            }

            schema.PrimaryKey(table, key);
            foreach (var index in await Query<IndexRow>(connection, "SELECT l.name AS Name, l.\"unique\" AS IsUnique, l.partial AS IsPartial, s.sql AS Sql FROM pragma_index_list(@table) l LEFT JOIN sqlite_schema s ON s.type = 'index' AND s.name = l.name WHERE l.origin <> 'pk' ORDER BY l.name", ("table", table), cancellationToken).ConfigureAwait(false))
            {
                var parts = await Query<IndexPartRow>(connection, "SELECT name AS Name, \"desc\" AS IsDescending, coll AS Collation FROM pragma_index_xinfo(@index) WHERE key = 1 ORDER BY seqno", ("index", index.Name), cancellationToken).ConfigureAwait(false);
                // A partial index, an expression (a part without a name), DESC or another collation: more than a plain index.
                var plain = index.IsPartial == 0 && parts.All(p => p.Name is not null && p.IsDescending == 0 && string.Equals(p.Collation, "BINARY", StringComparison.OrdinalIgnoreCase));
                schema.Index(table, new IndexSchema(index.Name, parts.Select(p => p.Name).OfType<string>().ToList(), index.IsUnique != 0) { Definition = plain ? null : index.Sql });
            }

            var createTable = (await Query<string>(connection, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = @table", ("table", table), cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            foreach (var (name, definition) in SqliteCheckConstraints.Read(createTable))
            {
                schema.Check(table, name, definition);
            }

            var keys = await Query<ForeignKeyRow>(connection, "SELECT id AS Id, \"table\" AS PrincipalTable, \"from\" AS Column, \"to\" AS PrincipalColumn, on_delete AS OnDelete FROM pragma_foreign_key_list(@table) ORDER BY id, seq", ("table", table), cancellationToken).ConfigureAwait(false);
            foreach (var foreignKey in keys.GroupBy(k => k.Id))
            {
                var first = foreignKey.First();
                var from = foreignKey.Select(k => k.Column).ToList();
                var to = foreignKey.All(k => k.PrincipalColumn is not null) ? foreignKey.Select(k => k.PrincipalColumn!).ToList() : await PrimaryKeyAsync(connection, first.PrincipalTable, cancellationToken).ConfigureAwait(false);
                var onDelete = first.OnDelete switch { "CASCADE" => ReferentialAction.Cascade, "SET NULL" => ReferentialAction.SetNull, _ => ReferentialAction.NoAction };
                schema.ForeignKey(table, new ForeignKeySchema($"fk_{table}_{string.Join("_", from)}", from, null, first.PrincipalTable, to, onDelete));
            }
        }

        return schema.Build();
    }

    public override IReadOnlyList<SchemaOperation> Adapt(IReadOnlyList<SchemaOperation> operations, DatabaseSchema desired)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(desired);
        var rebuilt = operations.Where(NeedsRebuild).Select(o => o.Table.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var adapted = new List<SchemaOperation>();
        foreach (var operation in operations)
        {
            if (operation is CreateTable or DropTable || !rebuilt.Contains(operation.Table.Name))
            {
                adapted.Add(operation);
            }
            else if (!adapted.OfType<RebuildTable>().Any(r => string.Equals(r.Table.Name, operation.Table.Name, StringComparison.OrdinalIgnoreCase)))
            {
                var changes = operations.Where(o => string.Equals(o.Table.Name, operation.Table.Name, StringComparison.OrdinalIgnoreCase)).ToList(); // indexes too: the rebuild re-creates them
                var current = changes[0].Table; // operations on an existing table carry it as it is
                adapted.Add(new RebuildTable(Rebuilt(desired.Find(null, operation.Table.Name)!, current, changes), current, changes));
            }
        }

        return adapted;
    }

    // The table a rebuild makes: the mapping's, plus what the diff leaves alone, which dropping the old table would take
    // with it: the columns declared unmapped (their rows are copied), foreign keys over columns no relation uses, and checks.
    private static TableSchema Rebuilt(TableSchema wanted, TableSchema current, List<SchemaOperation> changes)
    {
        var columns = wanted.Columns.Concat(current.Columns.Where(c => wanted.FindColumn(c.Name) is null && wanted.UnmappedColumns.Contains(c.Name, StringComparer.OrdinalIgnoreCase))).ToList();
        var keptKeys = current.ForeignKeys.Where(k =>
            !changes.OfType<DropForeignKey>().Any(d => d.ForeignKey == k)
            && !wanted.ForeignKeys.Any(w => w.Columns.SequenceEqual(k.Columns, StringComparer.OrdinalIgnoreCase))
            && k.Columns.All(c => columns.Exists(n => string.Equals(n.Name, c, StringComparison.OrdinalIgnoreCase))));
        // A check the mapping does not name is kept too, unless it reads a column the rebuild drops (it could not be created).
        var dropped = changes.OfType<DropColumn>().Select(d => d.Column.Name).ToList();
        var keptChecks = current.Checks.Where(c =>
            !changes.OfType<DropCheck>().Any(d => d.Check == c)
            && !wanted.Checks.Any(w => string.Equals(w.Name, c.Name, StringComparison.OrdinalIgnoreCase))
            && !dropped.Exists(d => c.Definition?.Contains(d, StringComparison.OrdinalIgnoreCase) == true));
        return wanted with { Columns = columns, ForeignKeys = wanted.ForeignKeys.Concat(keptKeys).ToList(), Checks = wanted.Checks.Concat(keptChecks).ToList() };
    }

    public override IEnumerable<string> Render(SchemaOperation operation) => operation switch
    {
        RebuildTable rebuild => RebuildSql(rebuild),
        _ => base.Render(operation),
    };

    public override async Task ApplyAsync(DbConnection connection, IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // A rebuild drops the old table; with foreign keys on, that would delete or orphan the rows pointing at it. Off
        // (which only works outside a transaction), and checked before the commit instead.
        await ExecuteSyncStatementAsync(connection, "PRAGMA foreign_keys = OFF", cancellationToken).ConfigureAwait(false);
        try
        {
            await base.ApplyAsync(connection, statements, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ExecuteSyncStatementAsync(connection, "PRAGMA foreign_keys = ON", CancellationToken.None).ConfigureAwait(false);
        }
    }

    protected override async Task BeforeCommitAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var violations = await CatalogQueryAsync<(string Table, long Row, string Parent)>(connection, transaction, "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check", cancellationToken).ConfigureAwait(false);
        if (violations.Count > 0)
        {
            throw new PremixException(
                $"The schema change was rolled back: {violations.Count} row(s) would break a foreign key, for example rowid {violations[0].Row} of {violations[0].Table} references a missing row of {violations[0].Parent}. Fix the rows, then sync again.");
        }
    }

    // A declared type is free text: the names Premix and common schemas write first, then sqlite.org's affinity rules
    // (INT: integer, CHAR/CLOB/TEXT: text, BLOB or none: blob, REAL/FLOA/DOUB: real, anything else: numeric).
    public override ColumnClrType? ClrType(ColumnSchema column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var (name, args) = SplitType(column.StoreType);
        ColumnClrType? known = name switch
        {
            "bool" or "boolean" => new(typeof(bool)),
            "datetime" or "timestamp" => new(typeof(DateTime)),
            "date" => new(typeof(DateOnly)),
            "time" => new(typeof(TimeOnly)),
            "uuid" or "guid" or "uniqueidentifier" => new(typeof(Guid)),
            "decimal" or "numeric" or "money" => DecimalType(args),
            _ => null,
        };
        return known
            ?? (name.Length == 0 ? null // no declared type: any value at all
            : Affinity(name) switch
            {
                "INTEGER" => new(typeof(long)),
                "TEXT" => SizedType(typeof(string), args),
                "BLOB" => new(typeof(byte[])),
                "REAL" => new(typeof(double)),
                _ => new(typeof(decimal)),
            });
    }

    protected override string IdentityClause(ColumnSchema column) => string.Empty;

    protected override IEnumerable<string> AlterColumnSql(AlterColumn alter) =>
        throw new NotSupportedException("SQLite alters columns by rebuilding the table (see Adapt).");

    // sqlite.org's rules, in their order (datatype3.html, "Determination Of Column Affinity").
    private static string Affinity(string type)
    {
        var upper = type.ToUpperInvariant();
        return upper.Contains("INT", StringComparison.Ordinal) ? "INTEGER"
            : upper.Contains("CHAR", StringComparison.Ordinal) || upper.Contains("CLOB", StringComparison.Ordinal) || upper.Contains("TEXT", StringComparison.Ordinal) ? "TEXT"
            : upper.Contains("BLOB", StringComparison.Ordinal) || upper.Trim().Length == 0 ? "BLOB"
            : upper.Contains("REAL", StringComparison.Ordinal) || upper.Contains("FLOA", StringComparison.Ordinal) || upper.Contains("DOUB", StringComparison.Ordinal) ? "REAL"
            : "NUMERIC";
    }

    private static bool NeedsRebuild(SchemaOperation operation) => operation switch
    {
        AlterColumn or DropColumn or AddForeignKey or DropForeignKey or AddCheck or DropCheck => true,
        // ADD COLUMN needs a constant default for a NOT NULL column (CURRENT_TIMESTAMP and expressions are not constant).
        AddColumn { Column: { IsNullable: false } column } => column.DefaultSql is null || column.DefaultSql.Contains("CURRENT_", StringComparison.OrdinalIgnoreCase) || column.DefaultSql.Contains('('),
        _ => false,
    };

    private IEnumerable<string> RebuildSql(RebuildTable rebuild)
    {
        var temporary = RebuildPrefix + rebuild.Table.Name;
        var kept = rebuild.Table.Columns.Where(c => rebuild.Current.FindColumn(c.Name) is not null).Select(c => Quote(c.Name)).ToList();
        yield return CreateTableSql(rebuild.Table, temporary);
        yield return $"INSERT INTO {Quote(temporary)} ({string.Join(", ", kept)}) SELECT {string.Join(", ", kept)} FROM {Quote(rebuild.Current.Name)}";
        yield return $"DROP TABLE {Quote(rebuild.Current.Name)}";
        yield return $"ALTER TABLE {Quote(temporary)} RENAME TO {Quote(rebuild.Table.Name)}";
        // The mapped indexes, and the unmapped ones a sync leaves alone (dropping the old table took them all). SQLite
        // reserves the names of a UNIQUE constraint's index: such an index comes back as a unique index named by Premix.
        var mappedOrDropped = rebuild.Table.Indexes.Select(i => i.Name).Concat(rebuild.Changes.OfType<DropIndex>().Select(d => d.Index.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unmapped = rebuild.Current.Indexes
            .Where(i => !mappedOrDropped.Contains(i.Name) && i.Columns.All(c => rebuild.Table.FindColumn(c) is not null))
            .Select(i => i.Name.StartsWith(AutoIndexPrefix, StringComparison.OrdinalIgnoreCase) ? i with { Name = $"ux_{rebuild.Table.Name}_{string.Join("_", i.Columns)}" } : i);
        foreach (var index in rebuild.Table.Indexes.Concat(unmapped))
        {
            // An index of its own kind (partial, expressions) comes back exactly as it was made.
            foreach (var statement in index.Definition is { } definition ? [definition] : base.Render(new CreateIndex(rebuild.Table, index)))
            {
                yield return statement;
            }
        }
    }

    private static async Task<List<string>> PrimaryKeyAsync(DbConnection connection, string table, CancellationToken cancellationToken) =>
        await Query<string>(connection, "SELECT name FROM pragma_table_info(@table) WHERE pk > 0 ORDER BY pk", ("table", table), cancellationToken).ConfigureAwait(false);

    private static Task<List<T>> Query<T>(DbConnection connection, string sql, (string, object)? args, CancellationToken cancellationToken) =>
        args is { } named ? CatalogQueryAsync<T>(connection, null, sql, cancellationToken, named) : CatalogQueryAsync<T>(connection, null, sql, cancellationToken);

    // Classes, not records: Dapper matches constructors by field type, which SQLite reports per value (NULL, or no row, as a BLOB).
    private sealed class ColumnRow
    {
        public string Name { get; init; } = "";

        public string Type { get; init; } = "";

        public long IsNotNull { get; init; }

        public string? DefaultSql { get; init; }

        public long KeyOrdinal { get; init; }
    }

    private sealed class IndexRow
    {
        public string Name { get; init; } = "";

        public long IsUnique { get; init; }

        public long IsPartial { get; init; }

        public string? Sql { get; init; }
    }

    private sealed class IndexPartRow
    {
        public string? Name { get; init; }

        public long IsDescending { get; init; }

        public string? Collation { get; init; }
    }

    private sealed class ForeignKeyRow
    {
        public long Id { get; init; }

        public string PrincipalTable { get; init; } = "";

        public string Column { get; init; } = "";

        public string? PrincipalColumn { get; init; }

        public string OnDelete { get; init; } = "";
    }
}
