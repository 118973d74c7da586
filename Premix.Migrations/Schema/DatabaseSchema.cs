namespace Premix.Migrations;

/// <summary>
/// A database-neutral description of tables: what the mapping wants (<see cref="DesiredSchema"/>) or what a database
/// holds (<see cref="SchemaDialect.ReadAsync"/>). Names are as the database spells them; types as the dialect spells them.
/// </summary>
public sealed record DatabaseSchema(IReadOnlyList<TableSchema> Tables)
{
    /// <summary>
    /// The views, with their columns (no key, indexes or foreign keys): read for scaffolding, never part of a diff, which
    /// neither creates nor drops them.
    /// </summary>
    public IReadOnlyList<TableSchema> Views { get; init; } = [];

    /// <summary>Finds a table by schema and name (names compare case-insensitively, as the engines do by default).</summary>
    public TableSchema? Find(string? schema, string name) =>
        Tables.FirstOrDefault(t => SchemaNames.Same(t.Name, name) && SchemaNames.SameSchema(t.Schema, schema));
}

/// <summary>One table: columns in order, primary key, indexes and foreign keys.</summary>
/// <param name="Schema">The schema, or <see langword="null"/> for the connection's default.</param>
/// <param name="Name">The table name.</param>
/// <param name="Columns">The columns, in table order.</param>
/// <param name="PrimaryKey">The primary key's columns.</param>
/// <param name="Indexes">The indexes, without the primary key's.</param>
/// <param name="ForeignKeys">The foreign keys this table holds.</param>
public sealed record TableSchema(
    string? Schema,
    string Name,
    IReadOnlyList<ColumnSchema> Columns,
    IReadOnlyList<string> PrimaryKey,
    IReadOnlyList<IndexSchema> Indexes,
    IReadOnlyList<ForeignKeySchema> ForeignKeys)
{
    /// <summary>
    /// Columns the table has that the mapping declares unmapped (<c>HasUnmappedColumn</c>); empty for a table read from a
    /// database. A diff neither drops nor changes them.
    /// </summary>
    public IReadOnlyList<string> UnmappedColumns { get; init; } = [];

    /// <summary>The table's CHECK constraints: the mapping's (one per polymorphic navigation), or those a database holds.</summary>
    public IReadOnlyList<CheckSchema> Checks { get; init; } = [];

    /// <summary>The table as people write it: <c>schema.name</c> or <c>name</c>.</summary>
    public string DisplayName => Schema is null ? Name : $"{Schema}.{Name}";

    /// <summary>Finds a column by name.</summary>
    public ColumnSchema? FindColumn(string name) => Columns.FirstOrDefault(c => SchemaNames.Same(c.Name, name));
}

/// <summary>One column.</summary>
/// <param name="Name">The column name.</param>
/// <param name="IsNullable">Whether it accepts <c>NULL</c>.</param>
/// <param name="StoreType">The column type as the dialect writes it (<c>varchar(100)</c>, <c>bigint</c>), without identity.</param>
/// <param name="DefaultSql">The default as SQL, or <see langword="null"/>.</param>
/// <param name="IsIdentity">Whether the database generates its values (identity, auto-increment, SQLite's rowid key).</param>
public sealed record ColumnSchema(string Name, string StoreType, bool IsNullable, string? DefaultSql, bool IsIdentity)
{
    /// <summary>
    /// The PostgreSQL domain the column is declared with, or <see langword="null"/>: <see cref="StoreType"/> then holds
    /// the domain's base type, which is what values are read and written as (the domain's checks stay in the database).
    /// </summary>
    public string? Domain { get; init; }

    /// <summary>
    /// The labels of the PostgreSQL enum type the column has, in their order, or <see langword="null"/>; in a desired schema,
    /// the labels of the mapping's <c>StoredAsEnumType</c> on every engine (only PostgreSQL reads them back).
    /// </summary>
    public IReadOnlyList<string>? EnumLabels { get; init; }

    /// <summary>In a desired schema, the PostgreSQL composite type of a <c>StoredAsCompositeType</c> column, which sync creates before it; otherwise <see langword="null"/>.</summary>
    public Premix.Mapping.DatabaseComposite? CompositeType { get; init; }

    /// <summary>
    /// The attributes of the column's composite type, in their order, or <see langword="null"/>: in a desired schema those of
    /// the mapping's <c>StoredAsCompositeType</c>, read from a database those of the type the column has (PostgreSQL).
    /// </summary>
    public IReadOnlyList<CompositeAttributeSchema>? CompositeAttributes { get; init; }
}

/// <summary>One attribute of a composite type.</summary>
/// <param name="Name">The attribute name.</param>
/// <param name="StoreType">Its type as the dialect writes it (<c>text</c>, <c>timestamp with time zone</c>).</param>
public sealed record CompositeAttributeSchema(string Name, string StoreType)
{
    /// <summary>The attribute as the nullable column it is like (an attribute can always be NULL), so a dialect types it as it types columns.</summary>
    public ColumnSchema AsColumn() => new(Name, StoreType, IsNullable: true, DefaultSql: null, IsIdentity: false);
}

/// <summary>One index (not the primary key's).</summary>
/// <param name="Name">The index name.</param>
/// <param name="Columns">The indexed columns, in index order (for an index with expressions: the columns it reads, if known).</param>
/// <param name="IsUnique">Whether it is unique.</param>
public sealed record IndexSchema(string Name, IReadOnlyList<string> Columns, bool IsUnique)
{
    /// <summary>
    /// How the engine defines an index that is more than a plain one over its columns (FULLTEXT, SPATIAL, a partial index's
    /// WHERE, expressions, INCLUDE columns, a column prefix, descending order, another access method than the default),
    /// as its own DDL; <see langword="null"/> for a plain index, the only kind a mapping declares. Such an index is never
    /// taken for a mapped one of the same name and columns.
    /// </summary>
    public string? Definition { get; init; }
}

/// <summary>One foreign key. SQLite keeps no constraint names: there, <see cref="Name"/> is derived from the columns.</summary>
public sealed record ForeignKeySchema(
    string Name,
    IReadOnlyList<string> Columns,
    string? PrincipalSchema,
    string PrincipalTable,
    IReadOnlyList<string> PrincipalColumns,
    Mapping.ReferentialAction OnDelete);

/// <summary>
/// One CHECK constraint. The mapping's say that exactly one of <see cref="ExactlyOneOf"/> is not null (a polymorphic
/// navigation's foreign keys), which each dialect writes its own way. Read from a database, a check has its
/// <see cref="Definition"/> as the engine keeps it and no <see cref="ExactlyOneOf"/>: engines rewrite expressions, so a
/// diff matches checks by name, and leaves alone the checks the mapping does not name.
/// </summary>
/// <param name="Name">The constraint name.</param>
/// <param name="ExactlyOneOf">The columns of which exactly one must be set; empty for a check read from a database.</param>
public sealed record CheckSchema(string Name, IReadOnlyList<string> ExactlyOneOf)
{
    /// <summary>The check's expression as the engine keeps it, for a check read from a database; else <see langword="null"/>.</summary>
    public string? Definition { get; init; }
}
