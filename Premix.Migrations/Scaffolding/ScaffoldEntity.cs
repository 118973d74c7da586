namespace Premix.Migrations;

/// <summary>One table's class and map.</summary>
internal sealed class ScaffoldEntity(TableSchema table, string className)
{
    public TableSchema Table { get; } = table;

    public string ClassName { get; } = className;

    public string MapName { get; set; } = className + "Map";

    public List<ScaffoldProperty> Properties { get; } = [];

    public List<(ColumnSchema Column, string Reason)> LeftOut { get; } = [];

    public List<ScaffoldProperty> Key { get; } = [];

    public List<ScaffoldRelation> References { get; } = [];

    public List<ScaffoldRelation> Collections { get; } = [];

    /// <summary>What the map does not express, written into it as comments.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>The member names taken: the class's own name and every property and navigation.</summary>
    public HashSet<string> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether the table gets a map: it needs a key whose every column has a type.</summary>
    public bool IsMapped => Key.Count > 0;

    public ScaffoldProperty? Find(string column) => Properties.FirstOrDefault(p => SchemaNames.Same(p.Column.Name, column));

    public void AddColumns(SchemaDialect dialect)
    {
        Members.Add(ClassName);
        foreach (var column in Table.Columns)
        {
            if (dialect.ClrType(column) is not { } type)
            {
                LeftOut.Add((column, column.StoreType.Length == 0 ? "it declares no type, so it may hold any value" : $"Premix has no CLR type for {column.StoreType}"));
                continue;
            }

            var name = CSharpNames.Pascal(column.Name, "Column");
            name = name == ClassName || CSharpNames.IsReserved(name) ? name + "Value" : name;
            var isKey = Table.PrimaryKey.Any(k => SchemaNames.Same(k, column.Name));
            name = CSharpNames.Unique(name, Members);
            var (columnType, notDeclared) = ScaffoldColumnType.Choose(column, type, name, dialect);
            if (notDeclared is not null)
            {
                Notes.Add(notDeclared);
            }

            Properties.Add(new ScaffoldProperty(column, name, type, column.IsNullable && !isKey, isKey, columnType));
        }

        var key = Table.PrimaryKey.Select(Find).ToList();
        if (key.Count > 0 && key.All(k => k is not null))
        {
            Key.AddRange(key!);
        }
        else
        {
            Notes.Add(key.Count == 0
                ? $"The table {Table.DisplayName} has no primary key, which Premix needs: the class is generated, but no map."
                : $"A key column of {Table.DisplayName} has no CLR type: the class is generated, but no map.");
        }
    }
}
