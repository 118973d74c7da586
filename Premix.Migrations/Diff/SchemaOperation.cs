namespace Premix.Migrations;

/// <summary>One change that brings a database's schema closer to the mapping. Rendered to DDL by a <see cref="SchemaDialect"/>.</summary>
/// <param name="Table">The table the change is about (for a new table: the table to create).</param>
public abstract record SchemaOperation(TableSchema Table)
{
    /// <summary>What the operation does, in one line for people.</summary>
    public abstract string Description { get; }

    /// <summary>Why the operation can lose data, or <see langword="null"/> when it cannot.</summary>
    public virtual string? DestructiveReason => null;

    /// <summary>
    /// Why the operation can lose data or fail on a database that holds rows, judged from the change alone, or
    /// <see langword="null"/>: what a migration must warn about, since it runs on databases other than the one it was
    /// generated from (a sync instead asks the database it changes, see <see cref="SchemaDiff.Destructive"/>).
    /// </summary>
    public virtual string? RiskWithRows => DestructiveReason;

    /// <inheritdoc />
    public override string ToString() => Description;
}

/// <summary>Creates a table with its columns, primary key and foreign keys (its indexes come as <see cref="CreateIndex"/>).</summary>
public sealed record CreateTable(TableSchema Table) : SchemaOperation(Table)
{
    /// <inheritdoc />
    public override string Description => $"create table {Table.DisplayName}";
}

/// <summary>Drops a table and every row in it.</summary>
public sealed record DropTable(TableSchema Table) : SchemaOperation(Table)
{
    /// <inheritdoc />
    public override string Description => $"drop table {Table.DisplayName}";

    /// <inheritdoc />
    public override string DestructiveReason => $"table {Table.DisplayName} is not mapped; dropping it deletes all its rows";
}

/// <summary>Adds a column.</summary>
public sealed record AddColumn(TableSchema Table, ColumnSchema Column) : SchemaOperation(Table)
{
    /// <inheritdoc />
    public override string Description => $"add column {Table.DisplayName}.{Column.Name} {Column.StoreType}{(Column.IsNullable ? " NULL" : " NOT NULL")}";

    /// <inheritdoc />
    public override string? RiskWithRows => Column is { IsNullable: false, DefaultSql: null, IsIdentity: false }
        ? $"the new required column {Table.DisplayName}.{Column.Name} has no default, so adding it fails on a table with rows; give it one with HasDefaultValueSql(...), or make it nullable"
        : null;
}

/// <summary>Drops a column and its values.</summary>
public sealed record DropColumn(TableSchema Table, ColumnSchema Column) : SchemaOperation(Table)
{
    /// <inheritdoc />
    public override string Description => $"drop column {Table.DisplayName}.{Column.Name}";

    /// <inheritdoc />
    public override string DestructiveReason => $"column {Table.DisplayName}.{Column.Name} is not mapped; dropping it deletes its values";
}

/// <summary>Changes a column's type, nullability or default.</summary>
/// <param name="Table">The table as it is.</param>
/// <param name="From">The column as it is.</param>
/// <param name="To">The column as the mapping wants it.</param>
/// <param name="Narrowing">Why the new type may not hold every existing value, or <see langword="null"/>.</param>
public sealed record AlterColumn(TableSchema Table, ColumnSchema From, ColumnSchema To, string? Narrowing) : SchemaOperation(Table)
{
    /// <inheritdoc />
    public override string Description =>
        $"alter column {Table.DisplayName}.{To.Name}: {From.StoreType}{(From.IsNullable ? " NULL" : " NOT NULL")}{Default(From)} -> {To.StoreType}{(To.IsNullable ? " NULL" : " NOT NULL")}{Default(To)}";

    /// <inheritdoc />
    public override string? DestructiveReason => Narrowing;

    /// <inheritdoc />
    public override string? RiskWithRows => Narrowing
        ?? (From.IsNullable && !To.IsNullable ? $"column {Table.DisplayName}.{To.Name} becomes required, so the change fails where a row holds NULL in it" : null);

    private static string Default(ColumnSchema column) => column.DefaultSql is null ? string.Empty : $" DEFAULT {column.DefaultSql}";
}

/// <summary>
/// Brings a composite type that columns use in line with the mapping's class (PostgreSQL): drops the attributes the class no
/// longer has and adds the new ones. An attribute whose type changed is dropped and added again: PostgreSQL alters no
/// attribute type while a column uses the type.
/// </summary>
/// <param name="Table">A table with a column of the type.</param>
/// <param name="TypeName">The type as the dialect writes it.</param>
/// <param name="Dropped">The attributes to drop: gone from the class, or of another type there.</param>
/// <param name="Added">The attributes to add, after the ones kept: new in the class, or of another type there.</param>
public sealed record AlterCompositeType(TableSchema Table, string TypeName, IReadOnlyList<CompositeAttributeSchema> Dropped, IReadOnlyList<CompositeAttributeSchema> Added) : SchemaOperation(Table)
{
    /// <inheritdoc />
    public override string Description =>
        $"alter composite type {TypeName}: {string.Join(", ", Dropped.Select(a => $"drop attribute {a.Name}").Concat(Added.Select(a => $"add attribute {a.Name} {a.StoreType}")))}";

    /// <inheritdoc />
    public override string? DestructiveReason => Dropped.Count == 0 ? null : string.Join("; ", Dropped.Select(Loss));

    private string Loss(CompositeAttributeSchema dropped) => Added.FirstOrDefault(a => string.Equals(a.Name, dropped.Name, StringComparison.Ordinal)) is { } retyped
        ? $"attribute {dropped.Name} of composite type {TypeName} changes type from {dropped.StoreType} to {retyped.StoreType}, which drops and adds it again (PostgreSQL alters no attribute type a column uses), deleting its values in every column of that type"
        : $"attribute {dropped.Name} of composite type {TypeName} is not mapped; dropping it deletes its values in every column of that type";
}

/// <summary>Creates an index.</summary>
public sealed record CreateIndex(TableSchema Table, IndexSchema Index) : SchemaOperation(Table)
{
    /// <inheritdoc />
    public override string Description => $"create {(Index.IsUnique ? "unique " : string.Empty)}index {Index.Name} on {Table.DisplayName} ({string.Join(", ", Index.Columns)})";
}

/// <summary>Drops an index (no data is lost).</summary>
public sealed record DropIndex(TableSchema Table, IndexSchema Index) : SchemaOperation(Table)
{
    /// <inheritdoc />
    public override string Description => $"drop index {Index.Name} on {Table.DisplayName}";
}

/// <summary>Adds a foreign key to an existing table.</summary>
public sealed record AddForeignKey(TableSchema Table, ForeignKeySchema ForeignKey) : SchemaOperation(Table)
{
    /// <inheritdoc />
    public override string Description => $"add foreign key {Table.DisplayName} ({string.Join(", ", ForeignKey.Columns)}) -> {ForeignKey.PrincipalTable} ({string.Join(", ", ForeignKey.PrincipalColumns)}) on delete {ForeignKey.OnDelete}";
}

/// <summary>Drops a foreign key (no data is lost).</summary>
public sealed record DropForeignKey(TableSchema Table, ForeignKeySchema ForeignKey) : SchemaOperation(Table)
{
    /// <inheritdoc />
    public override string Description => $"drop foreign key {ForeignKey.Name} on {Table.DisplayName}";
}

/// <summary>
/// Rebuilds a table SQLite cannot alter in place (type, nullability or default changes, foreign keys, some drops): the
/// documented procedure of creating the new table, copying the rows, dropping the old one and renaming, keeping the data.
/// </summary>
/// <param name="Table">The table as it should be.</param>
/// <param name="Current">The table as it is.</param>
/// <param name="Changes">The operations the rebuild carries out.</param>
public sealed record RebuildTable(TableSchema Table, TableSchema Current, IReadOnlyList<SchemaOperation> Changes) : SchemaOperation(Table)
{
    /// <inheritdoc />
    public override string Description => $"rebuild table {Table.DisplayName} ({string.Join("; ", Changes.Select(c => c.Description))})";

    /// <inheritdoc />
    public override string? DestructiveReason =>
        Changes.Select(c => c.DestructiveReason).OfType<string>().ToList() is { Count: > 0 } reasons ? string.Join("; ", reasons) : null;

    /// <inheritdoc />
    public override string? RiskWithRows =>
        Changes.Select(c => c.RiskWithRows).OfType<string>().ToList() is { Count: > 0 } reasons ? string.Join("; ", reasons) : null;
}

/// <summary>Adds a CHECK constraint to an existing table.</summary>
public sealed record AddCheck(TableSchema Table, CheckSchema Check) : SchemaOperation(Table)
{
    /// <inheritdoc />
    public override string Description => $"add check {Check.Name} on {Table.DisplayName}: exactly one of ({string.Join(", ", Check.ExactlyOneOf)}) is set";
}

/// <summary>Drops a CHECK constraint (no data is lost): a polymorphic navigation's check whose targets have changed.</summary>
public sealed record DropCheck(TableSchema Table, CheckSchema Check) : SchemaOperation(Table)
{
    /// <inheritdoc />
    public override string Description => $"drop check {Check.Name} on {Table.DisplayName}";
}
