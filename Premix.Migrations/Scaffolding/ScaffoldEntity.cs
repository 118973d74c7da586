namespace Premix.Migrations;

/// <summary>One table's or view's class, and a table's map.</summary>
internal sealed class ScaffoldEntity(TableSchema table, string className, bool isView)
{
    /// <summary>The constant of a class without a map: the SELECT that reads it with <c>Raw(...).FetchAs</c>.</summary>
    public const string SelectSqlName = "SelectSql";

    public TableSchema Table { get; } = table;

    public string ClassName { get; } = className;

    /// <summary>Whether the class reads a view: read-only, never mapped.</summary>
    public bool IsView { get; } = isView;

    /// <summary>What the table is called in comments: <c>the table x</c> or <c>the view x</c>.</summary>
    public string Kind => IsView ? "view" : "table";

    public string MapName { get; set; } = className + "Map";

    public List<ScaffoldProperty> Properties { get; } = [];

    public List<(ColumnSchema Column, string Reason)> LeftOut { get; } = [];

    public List<ScaffoldProperty> Key { get; } = [];

    public List<ScaffoldRelation> References { get; } = [];

    public List<ScaffoldRelation> Collections { get; } = [];

    /// <summary>What the map does not express, written into it as comments (into the class, where there is no map).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>The member names taken: the class's own name and every property and navigation.</summary>
    public HashSet<string> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether the table gets a map: it needs a key whose every column has a type.</summary>
    public bool IsMapped => Key.Count > 0;

    /// <summary>The SELECT of every property's column under the property's name, for a class without a map; else <see langword="null"/>.</summary>
    public string? SelectSql { get; private set; }

    public ScaffoldProperty? Find(string column) => Properties.FirstOrDefault(p => SchemaNames.Same(p.Column.Name, column));

    public void AddColumns(SchemaDialect dialect, IReadOnlyDictionary<string, ScaffoldEnum> enums, IReadOnlyDictionary<string, ScaffoldComposite> composites)
    {
        Members.Add(ClassName);
        var keyless = IsView || Table.PrimaryKey.Count == 0 || Table.PrimaryKey.Any(k => Table.FindColumn(k) is not { } column || dialect.ClrType(column) is null);
        if (keyless)
        {
            Members.Add(SelectSqlName);
        }

        foreach (var column in Table.Columns)
        {
            // A class read with Raw(...) (a view, a table without a map) gets an enum's label as text, as the driver returns it.
            var scaffoldEnum = column.EnumLabels is null ? null : enums.GetValueOrDefault(ScaffoldEnum.TypeOf(column));
            var enumArray = scaffoldEnum is not null && ScaffoldEnum.IsArray(column);
            var type = scaffoldEnum is null ? dialect.ClrType(column)
                : keyless ? new ColumnClrType(enumArray ? typeof(string[]) : typeof(string))
                : new ColumnClrType(enumArray ? typeof(int[]) : typeof(int)); // stands for the generated enum, or an array of it
            if (keyless)
            {
                scaffoldEnum = null;
            }

            // A composite value is read and written only through a map, which registers its type with Npgsql.
            if (column.CompositeAttributes is not null)
            {
                var composite = keyless ? null : composites.GetValueOrDefault(column.StoreType);
                if (composite is not { Refused: null })
                {
                    LeftOut.Add((column, LeftOutReason(column, composite is null
                        ? $"a value of the composite type {column.StoreType} is read only through a map, and this class has none"
                        : $"the composite type {column.StoreType} gets no class: {composite.Refused}")));
                    continue;
                }

                var compositeName = CSharpNames.Unique(Name(column), Members);
                Properties.Add(new ScaffoldProperty(column, compositeName, new ColumnClrType(typeof(object)), column.IsNullable, IsKey: false, Composite: composite));
                continue;
            }

            if (type is null)
            {
                LeftOut.Add((column, LeftOutReason(column, NoClrType(column))));
                continue;
            }

            var name = Name(column);
            var isKey = !IsView && Table.PrimaryKey.Any(k => SchemaNames.Same(k, column.Name));
            name = CSharpNames.Unique(name, Members);
            if (scaffoldEnum is not null)
            {
                // Its type is the generated enum (or an array of it), stored with StoredAsEnumType under the enum type's name.
                Properties.Add(new ScaffoldProperty(column, name, type, (column.IsNullable || IsView) && !isKey, isKey, Enum: scaffoldEnum, IsEnumArray: enumArray));
                continue;
            }

            var (columnType, refused) = ScaffoldColumnType.Choose(column, type, name, dialect);
            if (refused is not null && !isKey)
            {
                LeftOut.Add((column, LeftOutReason(column, refused)));
                continue;
            }

            if (refused is not null)
            {
                Notes.Add($"The key column {column.Name} is mapped as Premix's column for its type: {refused}.");
            }

            // A view promises nothing about NULL (an outer join can produce one in any column).
            Properties.Add(new ScaffoldProperty(column, name, type, (column.IsNullable || IsView) && !isKey, isKey, type.ColumnType ?? columnType));
        }

        if (!keyless)
        {
            Key.AddRange(Table.PrimaryKey.Select(Find)!);
            return;
        }

        SelectSql = Properties.Count == 0 ? null : dialect.SelectSql(Table, Properties.Select(p => (p.Column.Name, p.Name.TrimStart('@'))));
        var read = SelectSql is null ? "it has no column with a CLR type" : $"read it with Raw({ClassName}.{SelectSqlName}).ReadOnly().FetchAs<{ClassName}>()";
        Notes.Add(IsView ? $"The view {Table.DisplayName} is read-only: the class has no map; {read}."
            : Table.PrimaryKey.Count == 0 ? $"The table {Table.DisplayName} has no primary key, which Premix needs: the class is generated, but no map; {read}."
            : $"A key column of {Table.DisplayName} has no CLR type: the class is generated, but no map; {read}.");
    }

    private string Name(ColumnSchema column)
    {
        var name = CSharpNames.Pascal(column.Name, "Column");
        return name == ClassName || CSharpNames.IsReserved(name) ? name + "Value" : name;
    }

    private static string LeftOutReason(ColumnSchema column, string why) =>
        why + (column is { IsNullable: false, DefaultSql: null, IsIdentity: false } ? "; it is NOT NULL without a default, so an insert through Premix fails unless a trigger fills it" : string.Empty);

    private static string NoClrType(ColumnSchema column) =>
        column.StoreType.Length == 0 ? "it declares no type, so it may hold any value"
        : column.StoreType.EndsWith("[]", StringComparison.Ordinal) ? $"{column.StoreType} is an array of a type Premix does not map as an array element"
        : $"Premix has no CLR type for {column.StoreType}";
}
