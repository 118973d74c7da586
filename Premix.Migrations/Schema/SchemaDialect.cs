using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Premix.Mapping;
using Premix.Providers;

namespace Premix.Migrations;

/// <summary>
/// One engine's schema knowledge: how it spells column types, how it reads its live schema, and how each
/// <see cref="SchemaOperation"/> becomes DDL. Each provider project has one; Premix.Migrations speaks only to this.
/// </summary>
public abstract partial class SchemaDialect(ISqlDialect sql)
{
    /// <summary>The provider's SQL dialect (identifier quoting, column types).</summary>
    protected ISqlDialect Sql { get; } = sql;

    /// <summary>Whether DDL runs inside a transaction that can roll it back (PostgreSQL, SQLite; not MySQL/MariaDB).</summary>
    public abstract bool HasTransactionalDdl { get; }

    /// <summary>The column type a property needs, as this engine spells it (no identity clause).</summary>
    public virtual string StoreType(PropertyModel property) => Sql.ColumnType(property);

    /// <summary>The attributes of a composite type as this engine spells them, or <see langword="null"/> on an engine without composite types.</summary>
    public virtual IReadOnlyList<CompositeAttributeSchema>? CompositeAttributes(DatabaseComposite composite) => null;

    /// <summary>
    /// Why the engine would not keep a property's values faithfully in its declared column type, or <see langword="null"/>:
    /// the check startup validation makes, so that scaffolding never declares a type the model would be refused for.
    /// </summary>
    internal (string Problem, string Fix)? MappingProblem(PropertyModel property) => Sql.MappingProblem(property);

    /// <summary>Reads the live schema: every table of the connection's default schema and of <paramref name="schemas"/>.</summary>
    public abstract Task<DatabaseSchema> ReadAsync(DbConnection connection, IReadOnlyCollection<string> schemas, CancellationToken cancellationToken);

    /// <summary>Whether an introspected type is the type the mapping asks for.</summary>
    public virtual bool SameType(string desired, string actual) => string.Equals(NormalizeType(desired), NormalizeType(actual), StringComparison.Ordinal);

    /// <summary>Whether an introspected default is the default the mapping asks for.</summary>
    public virtual bool SameDefault(string? desired, string? actual) => string.Equals(NormalizeDefault(desired), NormalizeDefault(actual), StringComparison.Ordinal);

    /// <summary>
    /// The CLR type that reads and writes an introspected column (the reverse of <see cref="StoreType"/>), for
    /// scaffolding; <see langword="null"/> when Premix has no type for it (arrays, JSON, enums of the engine, geometry).
    /// </summary>
    public virtual ColumnClrType? ClrType(ColumnSchema column) => null;

    /// <summary>
    /// The CLR type of an attribute of a composite type (<see cref="ColumnSchema.CompositeAttributes"/>) that the mapping
    /// puts in a composite type, or <see langword="null"/> when there is none; only PostgreSQL has composite types.
    /// </summary>
    public virtual Type? CompositeAttributeType(ColumnSchema attribute) => null;

    /// <summary>
    /// Whether the database generates an introspected column's values the way Premix reads generated keys back: an
    /// identity or auto-increment column, or what else the engine offers (PostgreSQL's sequence defaults).
    /// </summary>
    public virtual bool IsGenerated(ColumnSchema column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return column.IsIdentity;
    }

    /// <summary>
    /// Whether the database generates a column's values when the mapping wants them generated, and has no identity when
    /// the mapping assigns them (a sequence default, which only fills in values an insert leaves out, may stay).
    /// </summary>
    public virtual bool SameGeneration(ColumnSchema desired, ColumnSchema actual)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(actual);
        return desired.IsIdentity ? IsGenerated(actual) : !actual.IsIdentity;
    }

    /// <summary>Lets an engine regroup operations it cannot run as such (SQLite rebuilds tables).</summary>
    public virtual IReadOnlyList<SchemaOperation> Adapt(IReadOnlyList<SchemaOperation> operations, DatabaseSchema desired) => operations;

    /// <summary>The statements of one operation.</summary>
    public virtual IEnumerable<string> Render(SchemaOperation operation) => operation switch
    {
        CreateTable create => [CreateTableSql(create.Table, create.Table.Name)],
        DropTable drop => [$"DROP TABLE {Table(drop.Table)}"],
        AddColumn add => [$"ALTER TABLE {Table(add.Table)} ADD COLUMN {ColumnDefinition(add.Column)}"],
        DropColumn drop => [$"ALTER TABLE {Table(drop.Table)} DROP COLUMN {Quote(drop.Column.Name)}"],
        AlterColumn alter => AlterColumnSql(alter),
        CreateIndex index => [$"CREATE {(index.Index.IsUnique ? "UNIQUE " : string.Empty)}INDEX {Quote(index.Index.Name)} ON {Table(index.Table)} ({Columns(index.Index.Columns)})"],
        DropIndex index => [DropIndexSql(index)],
        AddForeignKey add => [$"ALTER TABLE {Table(add.Table)} ADD {ForeignKeyDefinition(add.ForeignKey)}"],
        AddCheck add => [$"ALTER TABLE {Table(add.Table)} ADD {CheckDefinition(add.Check)}"],
        DropCheck drop => [$"ALTER TABLE {Table(drop.Table)} DROP CONSTRAINT {Quote(drop.Check.Name)}"],
        DropForeignKey drop => [DropForeignKeySql(drop)],
        _ => throw new NotSupportedException($"{GetType().Name} cannot render {operation.Description}."),
    };

    /// <summary>
    /// Runs the statements of a sync: in one transaction where DDL is transactional, else one by one (a failure then
    /// leaves the statements before it applied, which the exception says).
    /// </summary>
    public virtual async Task ApplyAsync(DbConnection connection, IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(statements);
        var executor = SchemaExecution.Ambient;
        if (!HasTransactionalDdl)
        {
            await SchemaCommands.RunEachAsync(executor, connection, null, statements, cancellationToken).ConfigureAwait(false);
            return;
        }

        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            await SchemaCommands.RunEachAsync(executor, connection, transaction, statements, cancellationToken).ConfigureAwait(false);
            await BeforeCommitAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs one catalog query of <see cref="ReadAsync"/> (or a check of the sync's) through Premix's executor, as operation
    /// <c>Introspect</c>: logged, traced, measured and wrapped like every statement, never retried. Rows map as Dapper's
    /// <c>QueryAsync&lt;T&gt;</c> maps them; a list value binds as Dapper binds it (an array where the engine has arrays,
    /// else <c>IN @name</c> expanded), so the query keeps the text it was written with.
    /// </summary>
    protected static Task<List<T>> CatalogQueryAsync<T>(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        SchemaExecution.Ambient.QueryAsync<T>(connection, transaction, "Introspect", sql, parameters.Length == 0 ? null : new StatementValues(parameters), cancellationToken);

    /// <summary>Runs one statement of a sync that is not DDL of an operation (SQLite's PRAGMAs) through Premix's executor, as operation <c>Sync</c>.</summary>
    protected static Task ExecuteSyncStatementAsync(DbConnection connection, string sql, CancellationToken cancellationToken) =>
        SchemaExecution.Ambient.ExecuteAsync(connection, null, "Sync", sql, null, cancellationToken);

    /// <summary>A last check inside the sync's transaction (SQLite checks foreign keys after a rebuild).</summary>
    protected virtual Task BeforeCommitAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The clause that makes a column generated (identity, auto-increment); empty where the key alone does it.</summary>
    protected abstract string IdentityClause(ColumnSchema column);

    /// <summary>The statements that change a column's type, nullability or default.</summary>
    protected abstract IEnumerable<string> AlterColumnSql(AlterColumn alter);

    /// <summary>DROP INDEX as the engine wants it.</summary>
    protected virtual string DropIndexSql(DropIndex index) => $"DROP INDEX {Qualified(index.Table.Schema, index.Index.Name)}";

    /// <summary>Drops a foreign key constraint.</summary>
    protected virtual string DropForeignKeySql(DropForeignKey drop) => $"ALTER TABLE {Table(drop.Table)} DROP CONSTRAINT {Quote(drop.ForeignKey.Name)}";

    /// <summary>CREATE TABLE with columns, primary key and foreign keys, under <paramref name="name"/>.</summary>
    protected string CreateTableSql(TableSchema table, string name) => CreateTableSql(table, name, "CREATE TABLE ");

    /// <summary>The same, as <c>CREATE TABLE IF NOT EXISTS</c> (the migrations' history table).</summary>
    internal string CreateTableIfNotExistsSql(TableSchema table) => CreateTableSql(table, table.Name, "CREATE TABLE IF NOT EXISTS ");

    private string CreateTableSql(TableSchema table, string name, string create)
    {
        var parts = table.Columns.Select(ColumnDefinition)
            .Append($"PRIMARY KEY ({Columns(table.PrimaryKey)})")
            .Concat(table.ForeignKeys.Select(ForeignKeyDefinition))
            .Concat(table.Checks.Select(CheckDefinition));
        return $"{create}{Qualified(table.Schema, name)} ({string.Join(", ", parts)})";
    }

    /// <summary>A column as CREATE TABLE and ADD COLUMN write it.</summary>
    protected string ColumnDefinition(ColumnSchema column) =>
        $"{Quote(column.Name)} {column.StoreType}{(column.IsIdentity ? IdentityClause(column) : string.Empty)}{(column.IsNullable ? " NULL" : " NOT NULL")}{(column.DefaultSql is null ? string.Empty : " DEFAULT " + column.DefaultSql)}";

    /// <summary>A foreign key constraint clause.</summary>
    protected string ForeignKeyDefinition(ForeignKeySchema key) =>
        $"CONSTRAINT {Quote(key.Name)} FOREIGN KEY ({Columns(key.Columns)}) REFERENCES {Qualified(key.PrincipalSchema, key.PrincipalTable)} ({Columns(key.PrincipalColumns)})"
        + key.OnDelete switch
        {
            ReferentialAction.Cascade => " ON DELETE CASCADE",
            ReferentialAction.SetNull => " ON DELETE SET NULL",
            _ => string.Empty,
        };

    /// <summary>A CHECK constraint clause: the mapping's exactly-one-set rule, or a check read from a database as it was.</summary>
    protected string CheckDefinition(CheckSchema check) =>
        $"CONSTRAINT {Quote(check.Name)} CHECK ({(check.ExactlyOneOf.Count > 0 ? ExactlyOneSetSql(check.ExactlyOneOf.Select(Quote).ToList()) : check.Definition)})";

    /// <summary>
    /// The condition that exactly one of <paramref name="quotedColumns"/> is not null. The default adds the booleans as the
    /// integers they are on MySQL, MariaDB and SQLite; PostgreSQL has <c>num_nonnulls</c>.
    /// </summary>
    protected virtual string ExactlyOneSetSql(IReadOnlyList<string> quotedColumns) =>
        $"{string.Join(" + ", quotedColumns.Select(c => $"({c} IS NOT NULL)"))} = 1";

    /// <summary>Selects every row of a table or view, each column under an alias (a scaffolded class's property names).</summary>
    internal string SelectSql(TableSchema table, IEnumerable<(string Column, string Alias)> columns) =>
        $"SELECT {string.Join(", ", columns.Select(c => $"{Quote(c.Column)} AS {Quote(c.Alias)}"))} FROM {Table(table)}";

    /// <summary>Counts a table's rows, or those holding NULL in <paramref name="nullColumn"/>.</summary>
    internal string CountSql(TableSchema table, string? nullColumn) =>
        $"SELECT COUNT(*) FROM {Table(table)}{(nullColumn is null ? string.Empty : $" WHERE {Quote(nullColumn)} IS NULL")}";

    /// <summary>A quoted identifier.</summary>
    protected string Quote(string identifier) => Sql.QuoteIdentifier(identifier);

    /// <summary>A table's quoted, schema-qualified name.</summary>
    protected string Table(TableSchema table) => Qualified(table.Schema, table.Name);

    /// <summary><c>"schema"."name"</c>, or <c>"name"</c>.</summary>
    protected string Qualified(string? schema, string name) => schema is null ? Quote(name) : $"{Quote(schema)}.{Quote(name)}";

    /// <summary>A quoted, comma-separated column list.</summary>
    protected string Columns(IEnumerable<string> columns) => string.Join(", ", columns.Select(Quote));

    /// <summary>A type in a comparable form: lower case, no spaces.</summary>
    protected virtual string NormalizeType(string type) => Whitespace().Replace(type, string.Empty).ToLowerInvariant();

    /// <summary>A default in a comparable form: lower case, without wrapping parentheses.</summary>
    protected virtual string? NormalizeDefault(string? sql)
    {
        if (sql is null)
        {
            return null;
        }

        var text = sql.Trim();
        while (text.Length > 1 && text[0] == '(' && text[^1] == ')')
        {
            text = text[1..^1].Trim();
        }

        return text.ToLowerInvariant();
    }

    /// <summary>
    /// What changing a column from <paramref name="from"/> to <paramref name="to"/> does to its values: nothing (the same
    /// type, however spelled), a widening (the new type holds every old value: a longer text, more digits, a bigger
    /// integer, more fractional seconds), or a change that may lose or reject values (anything else, including a change
    /// between type families and a type the engine does not describe).
    /// </summary>
    public virtual TypeChange CompareTypes(string from, string to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (SameType(from, to))
        {
            return TypeChange.Same;
        }

        return Capacity(from) is { } old && Capacity(to) is { } wider && wider.Holds(old) ? TypeChange.Widening : TypeChange.MayLoseValues;
    }

    /// <summary>
    /// Why changing a column from <paramref name="from"/> to <paramref name="to"/> could lose values, or
    /// <see langword="null"/> for a widening or no type change (<see cref="CompareTypes"/>).
    /// </summary>
    public virtual string? Narrowing(string from, string to) =>
        CompareTypes(from, to) == TypeChange.MayLoseValues ? $"changing {from} to {to} can lose or reject existing values" : null;

    /// <summary>
    /// What values a column type of this engine holds, as spelled by a mapping or read from the database; <see langword="null"/>
    /// for a type compared by name only (a boolean, a date, a uuid, json...), which no other type widens.
    /// </summary>
    protected virtual TypeCapacity? Capacity(string type) => null;

    /// <summary>
    /// Splits a store type into its lower-case name without arguments and its numeric arguments:
    /// <c>timestamp(6) without time zone</c> gives (<c>timestamp without time zone</c>, [6]), <c>NUMERIC(10,2)</c> (<c>numeric</c>, [10, 2]).
    /// </summary>
    protected static (string Name, int[] Args) SplitType(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var match = TypeParts().Match(type.Trim().ToLowerInvariant());
        if (!match.Success)
        {
            return (Whitespace().Replace(type.Trim().ToLowerInvariant(), " "), []);
        }

        var name = Whitespace().Replace((match.Groups["name"].Value + " " + match.Groups["rest"].Value).Trim(), " ");
        var args = match.Groups["args"].Success
            ? match.Groups["args"].Value.Split(',').Select(a => int.Parse(a.Trim(), CultureInfo.InvariantCulture)).ToArray()
            : [];
        return (name, args);
    }

    /// <summary>A decimal with the precision and scale of a store type's arguments (<c>(10,2)</c>, <c>(10)</c> meaning scale 0, or none).</summary>
    protected static ColumnClrType DecimalType(int[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Length == 0 ? new(typeof(decimal)) : new(typeof(decimal), Precision: args[0], Scale: args.Length > 1 ? args[1] : 0);
    }

    /// <summary>A text or binary type with the length of a store type's argument, if any.</summary>
    protected static ColumnClrType SizedType(Type type, int[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new(type, MaxLength: args.Length > 0 ? args[0] : null);
    }

    [GeneratedRegex(@"^(?<name>[a-z][a-z0-9_ ]*?)\s*(\((?<args>\d+(\s*,\s*\d+)?)\))?(?<rest>(\s+[a-z][a-z0-9_ ]*)?)$")]
    private static partial Regex TypeParts();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
