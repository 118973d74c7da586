namespace Premix.Migrations;

/// <summary>Collects what an engine's catalog queries return, row by row, into a <see cref="DatabaseSchema"/>.</summary>
public sealed class SchemaReadBuilder
{
    private readonly Dictionary<string, Entry> _tables = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Adds a table under a key of the reader's choosing (an oid, a name).</summary>
    public void Table(string key, string? schema, string name)
    {
        _tables[key] = new Entry(schema, name);
        _order.Add(key);
    }

    /// <summary>Adds a view under a key of the reader's choosing; its columns come through <see cref="Column"/>.</summary>
    public void View(string key, string? schema, string name)
    {
        _tables[key] = new Entry(schema, name) { IsView = true };
        _order.Add(key);
    }

    /// <summary>Adds a column to a table or view, in table order. Rows of tables not added are ignored.</summary>
    public void Column(string table, ColumnSchema column) => Find(table)?.Columns.Add(column);

    /// <summary>Sets a table's primary key columns.</summary>
    public void PrimaryKey(string table, IReadOnlyList<string> columns)
    {
        if (Find(table) is { } entry)
        {
            entry.PrimaryKey = columns;
        }
    }

    /// <summary>Adds an index (not the primary key's).</summary>
    public void Index(string table, IndexSchema index) => Find(table)?.Indexes.Add(index);

    /// <summary>Adds a foreign key.</summary>
    public void ForeignKey(string table, ForeignKeySchema foreignKey) => Find(table)?.ForeignKeys.Add(foreignKey);

    /// <summary>Adds a CHECK constraint (its name and the engine's expression).</summary>
    public void Check(string table, string name, string? definition) => Find(table)?.Checks.Add(new CheckSchema(name, []) { Definition = definition });

    /// <summary>The schema read so far.</summary>
    public DatabaseSchema Build()
    {
        var entries = _order.Select(key => _tables[key]).ToList();
        return new(entries.Where(e => !e.IsView).Select(Table).ToList()) { Views = entries.Where(e => e.IsView).Select(Table).ToList() };
    }

    private static TableSchema Table(Entry e) => new(e.Schema, e.Name, e.Columns, e.PrimaryKey, e.Indexes, e.ForeignKeys) { Checks = e.Checks };

    private Entry? Find(string table) => _tables.GetValueOrDefault(table);

    private sealed class Entry(string? schema, string name)
    {
        public string? Schema { get; } = schema;

        public string Name { get; } = name;

        public bool IsView { get; init; }

        public List<ColumnSchema> Columns { get; } = [];

        public IReadOnlyList<string> PrimaryKey { get; set; } = [];

        public List<IndexSchema> Indexes { get; } = [];

        public List<ForeignKeySchema> ForeignKeys { get; } = [];

        public List<CheckSchema> Checks { get; } = [];
    }
}
