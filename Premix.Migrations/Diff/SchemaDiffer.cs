using System.Text.RegularExpressions;
using Premix.Mapping;

namespace Premix.Migrations;

/// <summary>
/// Compares the schema a mapping needs with the schema a database has and lists the operations that close the gap,
/// in an order every engine can run: foreign keys and indexes that go away first, then new tables (parents before
/// children), column changes, new indexes and foreign keys, and dropped tables last.
/// </summary>
public static partial class SchemaDiffer
{
    /// <summary>The operations that turn <paramref name="actual"/> into <paramref name="desired"/>, adapted to the dialect.</summary>
    /// <param name="desired">The schema the mapping needs (<see cref="DesiredSchema.From"/>).</param>
    /// <param name="actual">The schema the database has (<see cref="SchemaDialect.ReadAsync"/>).</param>
    /// <param name="dialect">Compares types and defaults the engine's way and regroups what it cannot alter in place.</param>
    /// <param name="options">
    /// What the mapping does not know that goes too: by default tables, indexes (by name) and foreign keys (by columns)
    /// the mapping does not declare are left alone, and listed by <see cref="UnmappedIndexes"/> and
    /// <see cref="UnmappedForeignKeys"/>. An index or foreign key the mapping declares otherwise is always re-created;
    /// a column the mapping declares unmapped (<see cref="TableSchema.UnmappedColumns"/>) is always kept.
    /// </param>
    public static IReadOnlyList<SchemaOperation> Diff(DatabaseSchema desired, DatabaseSchema actual, SchemaDialect dialect, SyncOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(dialect);
        options ??= new SyncOptions();
        var drops = new List<SchemaOperation>();
        var creates = new List<SchemaOperation>();
        var columns = new List<SchemaOperation>();
        var additions = new List<SchemaOperation>();
        var types = new List<AlterCompositeType>();
        foreach (var table in desired.Tables)
        {
            if (actual.Find(table.Schema, table.Name) is not { } current)
            {
                creates.Add(new CreateTable(table));
                additions.AddRange(table.Indexes.Select(i => new CreateIndex(table, i)));
                continue;
            }

            columns.AddRange(ColumnChanges(table, current, dialect));
            types.AddRange(CompositeTypeChanges(table, current, dialect));
            foreach (var index in current.Indexes.Where(i => !table.Indexes.Any(d => SameIndex(d, i)) && (options.DropUnmappedIndexes || IsMapped(table, i))))
            {
                drops.Add(new DropIndex(current, index));
            }

            // Operations on a table that exists carry it as it is (its unmapped indexes included, which a SQLite rebuild keeps).
            additions.AddRange(table.Indexes.Where(i => !current.Indexes.Any(a => SameIndex(i, a))).Select(i => new CreateIndex(current, i)));
            foreach (var key in current.ForeignKeys.Where(k => !table.ForeignKeys.Any(d => SameForeignKey(d, k, current)) && (options.DropUnmappedForeignKeys || IsMapped(table, k))))
            {
                drops.Insert(0, new DropForeignKey(current, key));
            }

            additions.AddRange(table.ForeignKeys.Where(k => !current.ForeignKeys.Any(a => SameForeignKey(k, a, current))).Select(k => new AddForeignKey(current, k)));
            drops.AddRange(current.Checks.Where(c => !table.Checks.Any(d => SchemaNames.Same(d.Name, c.Name)) && IsReplacedCheck(table, current, c)).Select(c => new DropCheck(current, c)));
            additions.AddRange(table.Checks.Where(c => !current.Checks.Any(a => SchemaNames.Same(a.Name, c.Name))).Select(c => new AddCheck(current, c)));
        }

        var removed = options.DropUnmappedTables
            ? actual.Tables.Where(t => desired.Find(t.Schema, t.Name) is null && !IsPremixTable(t)).ToList()
            : [];
        var operations = drops
            .Concat(types.DistinctBy(t => t.TypeName, StringComparer.Ordinal)) // one change per type, however many columns use it
            .Concat(ParentsFirst(creates.Cast<CreateTable>().ToList()))
            .Concat(columns.OrderBy(c => c is DropColumn))
            .Concat(additions.OrderBy(a => a is AddForeignKey or AddCheck))
            .Concat(ParentsFirst(removed.Select(t => new CreateTable(t)).ToList()).Reverse().Select(c => new DropTable(c.Table)))
            .ToList();
        return dialect.Adapt(operations, desired);
    }

    /// <summary>
    /// The indexes of mapped tables that the mapping does not name: made by hand or by another tool, they are left alone
    /// (unless a diff is asked to drop them) and listed for information.
    /// </summary>
    public static IReadOnlyList<UnmappedIndex> UnmappedIndexes(DatabaseSchema desired, DatabaseSchema actual)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(actual);
        return desired.Tables
            .Select(table => (Table: table, Current: actual.Find(table.Schema, table.Name)))
            .Where(t => t.Current is not null)
            .SelectMany(t => t.Current!.Indexes.Where(i => !IsMapped(t.Table, i)).Select(i => new UnmappedIndex(t.Current!, i)))
            .ToList();
    }

    /// <summary>
    /// The foreign keys of mapped tables over columns that no relation of the mapping uses as its key: made by hand, by
    /// another tool, or kept as a plain property by a scaffolded model. They are left alone (unless a diff is asked to drop
    /// them) and listed for information.
    /// </summary>
    public static IReadOnlyList<UnmappedForeignKey> UnmappedForeignKeys(DatabaseSchema desired, DatabaseSchema actual)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(actual);
        return desired.Tables
            .Select(table => (Table: table, Current: actual.Find(table.Schema, table.Name)))
            .Where(t => t.Current is not null)
            .SelectMany(t => t.Current!.ForeignKeys.Where(k => !IsMapped(t.Table, k)).Select(k => new UnmappedForeignKey(t.Current!, k)))
            .ToList();
    }

    /// <summary>
    /// Whether <paramref name="check"/>, which the mapping does not name, is a polymorphic navigation's check from before its
    /// targets changed: Premix names those <c>ck_{table}_{column}_{column}...</c> after their key columns, so adding or removing
    /// a target renames the check, and the old one would go on refusing the rows the new targets allow. Such a check is named
    /// the same way over two or more columns of the table, one of them a key of a check the mapping wants, and tests for NULL;
    /// any other check (made by hand or by another tool) is left alone.
    /// </summary>
    private static bool IsReplacedCheck(TableSchema desired, TableSchema current, CheckSchema check)
    {
        var prefix = $"ck_{desired.Name}_";
        if (!check.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || check.Definition?.Contains("null", StringComparison.OrdinalIgnoreCase) != true)
        {
            return false;
        }

        // "Exactly one is set" in the forms the engines read back: num_nonnulls(a, b) = 1, or (a IS NOT NULL) + ... = 1,
        // over exactly the columns of its name.
        var columns = desired.Columns.Select(c => c.Name).Concat(current.Columns.Select(c => c.Name)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return ColumnsNamed(check.Name[prefix.Length..], columns) is { Count: >= 2 } named
            && named.Exists(n => desired.Checks.Any(d => d.ExactlyOneOf.Contains(n, StringComparer.OrdinalIgnoreCase)))
            && ExactlyOne().IsMatch(check.Definition) && named.TrueForAll(n => check.Definition.Contains(n, StringComparison.OrdinalIgnoreCase));
    }

    // The columns whose names, joined by '_', make up name (column names may hold '_' themselves), or null.
    private static List<string>? ColumnsNamed(string name, List<string> columns)
    {
        foreach (var column in columns)
        {
            if (string.Equals(name, column, StringComparison.OrdinalIgnoreCase))
            {
                return [column];
            }

            if (name.Length > column.Length + 1 && name.StartsWith(column + "_", StringComparison.OrdinalIgnoreCase)
                && ColumnsNamed(name[(column.Length + 1)..], columns) is { } rest)
            {
                return [column, .. rest];
            }
        }

        return null;
    }

    /// <summary>Premix's own tables (the migration history) are never part of a diff.</summary>
    public static bool IsPremixTable(TableSchema table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Name.StartsWith("premix_", StringComparison.OrdinalIgnoreCase);
    }

    private static IEnumerable<SchemaOperation> ColumnChanges(TableSchema table, TableSchema current, SchemaDialect dialect)
    {
        foreach (var column in table.Columns)
        {
            if (current.FindColumn(column.Name) is not { } existing)
            {
                yield return new AddColumn(current, column);
            }
            else if (Differs(column, existing, dialect))
            {
                yield return new AlterColumn(current, existing, column, dialect.Narrowing(existing.StoreType, column.StoreType));
            }
        }

        foreach (var column in current.Columns.Where(c => table.FindColumn(c.Name) is null && !table.UnmappedColumns.Any(u => SchemaNames.Same(u, c.Name))))
        {
            yield return new DropColumn(current, column);
        }
    }

    // The composite types of the table's columns whose attributes differ from the mapping's class. Attributes match by name
    // and type; their order is not compared, since PostgreSQL adds an attribute only after the others. A type made by hand
    // spells its attributes with a size (varchar(100), numeric(10,2), timestamp(3)) where the mapping's are bare, so an
    // attribute the dialect reads as the property's CLR type matches too: re-creating it would only delete its values.
    private static IEnumerable<AlterCompositeType> CompositeTypeChanges(TableSchema table, TableSchema current, SchemaDialect dialect)
    {
        foreach (var column in table.Columns.Where(c => c.CompositeAttributes is not null))
        {
            if (current.FindColumn(column.Name) is { CompositeAttributes: { } have } existing && dialect.SameType(column.StoreType, existing.StoreType))
            {
                var wanted = column.CompositeAttributes!;
                bool Same(CompositeAttributeSchema a, CompositeAttributeSchema b) => string.Equals(a.Name, b.Name, StringComparison.Ordinal)
                    && (dialect.SameType(a.StoreType, b.StoreType) || (dialect.CompositeAttributeType(a.AsColumn()) is { } type && type == dialect.CompositeAttributeType(b.AsColumn())));
                var dropped = have.Where(a => !wanted.Any(w => Same(w, a))).ToList();
                var added = wanted.Where(w => !have.Any(a => Same(w, a))).ToList();
                if (dropped.Count > 0 || added.Count > 0)
                {
                    yield return new AlterCompositeType(current, existing.StoreType, dropped, added);
                }
            }
        }
    }

    // The default of a column the database generates is its generator (a sequence's nextval), which a mapping never names:
    // a mapping without a default of its own leaves it, for the key it generates and for other writers of the table.
    private static bool Differs(ColumnSchema desired, ColumnSchema actual, SchemaDialect dialect) =>
        !dialect.SameType(desired.StoreType, actual.StoreType) || desired.IsNullable != actual.IsNullable || !dialect.SameGeneration(desired, actual)
        || MissingLabels(desired, actual).Any()
        || (!(desired.DefaultSql is null && dialect.IsGenerated(actual)) && !dialect.SameDefault(desired.DefaultSql, actual.DefaultSql));

    // The labels the mapping's enum type has that the column's type lacks (a member added to the C# enum); labels the
    // database has beyond the mapping's are left, since PostgreSQL cannot drop a label.
    private static IEnumerable<string> MissingLabels(ColumnSchema desired, ColumnSchema actual) =>
        desired.EnumLabels is { } labels && actual.EnumLabels is { } have ? labels.Where(l => !have.Contains(l, StringComparer.Ordinal)) : [];

    private static bool IsMapped(TableSchema desired, IndexSchema index) => desired.Indexes.Any(d => SchemaNames.Same(d.Name, index.Name));

    // An index with a definition of its own (FULLTEXT, partial, expressions...) is never the plain index a mapping declares.
    private static bool SameIndex(IndexSchema a, IndexSchema b) =>
        SchemaNames.Same(a.Name, b.Name) && a.IsUnique == b.IsUnique && SchemaNames.SameColumns(a.Columns, b.Columns) && a.Definition == b.Definition;

    // A foreign key is the mapping's when one of the mapping's is over the same columns (it may differ otherwise).
    private static bool IsMapped(TableSchema desired, ForeignKeySchema key) => desired.ForeignKeys.Any(d => SamePairs(d.Columns, d.Columns, key.Columns, key.Columns));

    // Foreign keys match by what they enforce, not by name: SQLite keeps no names, and databases made elsewhere use their own.
    private static bool SameForeignKey(ForeignKeySchema a, ForeignKeySchema b, TableSchema current) =>
        SamePairs(a.Columns, a.PrincipalColumns, b.Columns, b.PrincipalColumns) && SchemaNames.Same(a.PrincipalTable, b.PrincipalTable)
        && SchemaNames.SameSchema(a.PrincipalSchema, b.PrincipalSchema)
        && Enforced(a, current) == Enforced(b, current);

    // The same pairs of column and referenced column, in any order: a composite key's constraint may list its columns in
    // another order than the mapping (which follows the principal's key) and enforce the same thing.
    private static bool SamePairs(IReadOnlyList<string> columns, IReadOnlyList<string> principalColumns, IReadOnlyList<string> otherColumns, IReadOnlyList<string> otherPrincipalColumns) =>
        columns.Count == otherColumns.Count
        && columns.Select((c, i) => (c, principalColumns[i])).All(pair => otherColumns.Select((c, i) => (c, otherPrincipalColumns[i])).Any(other => SchemaNames.Same(pair.c, other.c) && SchemaNames.Same(pair.Item2, other.Item2)));

    // ON DELETE SET NULL on columns that are all NOT NULL cannot set anything: the delete fails, as with NO ACTION (a
    // mapping cannot declare it; a database made elsewhere can have it, and re-creating the key would change nothing).
    private static ReferentialAction Enforced(ForeignKeySchema key, TableSchema current) =>
        key.OnDelete == ReferentialAction.SetNull && key.Columns.All(c => current.FindColumn(c) is { IsNullable: false }) ? ReferentialAction.NoAction : key.OnDelete;

    // New tables in an order where each table's principals exist before it (a table referring to itself is fine).
    private static IEnumerable<CreateTable> ParentsFirst(List<CreateTable> creates)
    {
        var ordered = new List<CreateTable>();
        var visiting = new HashSet<CreateTable>();
        void Visit(CreateTable create)
        {
            if (ordered.Contains(create) || !visiting.Add(create))
            {
                return; // already placed, or a cycle: the engine reports a missing table if it cannot defer the reference
            }

            foreach (var key in create.Table.ForeignKeys)
            {
                if (creates.FirstOrDefault(c => c != create && SchemaNames.Same(c.Table.Name, key.PrincipalTable) && SchemaNames.SameSchema(c.Table.Schema, key.PrincipalSchema)) is { } principal)
                {
                    Visit(principal);
                }
            }

            ordered.Add(create);
        }

        creates.ForEach(Visit);
        return ordered;
    }

    [GeneratedRegex(@"(num_nonnulls|is\s+not\s+null)[\s\S]*=\s*1\b", RegexOptions.IgnoreCase)]
    private static partial Regex ExactlyOne();
}
