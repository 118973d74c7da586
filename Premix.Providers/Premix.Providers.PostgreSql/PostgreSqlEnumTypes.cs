using Premix.Migrations;

namespace Premix.Providers.PostgreSql;

/// <summary>
/// The DDL of the enum types that <c>StoredAsEnumType</c> columns need, run before the operation that uses them: a type is
/// created unless it exists (so two tables may share it, and a type made by hand is kept), and a label the mapping added is
/// placed after the label it follows in the mapping (<c>ALTER TYPE ... ADD VALUE</c>, allowed in a transaction since
/// PostgreSQL 12; the new label is usable once the sync commits).
/// </summary>
internal static class PostgreSqlEnumTypes
{
    private const string CreatePrefix = "DO $$ BEGIN CREATE TYPE ";

    public static IEnumerable<string> Before(SchemaOperation operation) => operation switch
    {
        CreateTable create => create.Table.Columns.Where(c => c.EnumLabels is not null).Select(Create).Distinct(StringComparer.Ordinal), // a type and its array once
        AddColumn add when add.Column.EnumLabels is not null => [Create(add.Column)],
        AlterColumn alter when alter.To.EnumLabels is not null && alter.From.EnumLabels is not null && string.Equals(alter.From.StoreType, alter.To.StoreType, StringComparison.Ordinal) => AddLabels(alter.To, alter.From),
        AlterColumn alter when alter.To.EnumLabels is not null => [Create(alter.To)],
        _ => [],
    };

    /// <summary>Whether <paramref name="statement"/> creates or changes a type (enum or composite): Npgsql must reload its types after it.</summary>
    public static bool ChangesType(string statement) =>
        statement.StartsWith(CreatePrefix, StringComparison.Ordinal) || statement.StartsWith("ALTER TYPE ", StringComparison.Ordinal);

    /// <summary>Creates <paramref name="type"/> as <paramref name="definition"/> (<c>ENUM (...)</c>, <c>(...)</c>) unless it exists.</summary>
    public static string CreateUnlessExists(string type, string definition) =>
        $"{CreatePrefix}{type} AS {definition}; EXCEPTION WHEN duplicate_object THEN NULL; END $$";

    private static string Create(ColumnSchema column) =>
        CreateUnlessExists(TypeName(column), $"ENUM ({string.Join(", ", column.EnumLabels!.Select(Literal))})");

    // The enum type of a column of it or of an array of it (rating[]).
    private static string TypeName(ColumnSchema column) =>
        column.StoreType.EndsWith("[]", StringComparison.Ordinal) ? column.StoreType[..^2] : column.StoreType;

    // Each missing label after its predecessor in the mapping (present by then), or before the first label the type has.
    private static IEnumerable<string> AddLabels(ColumnSchema desired, ColumnSchema actual)
    {
        var labels = desired.EnumLabels!;
        for (var i = 0; i < labels.Count; i++)
        {
            if (actual.EnumLabels!.Contains(labels[i], StringComparer.Ordinal))
            {
                continue;
            }

            var position = i > 0 ? $" AFTER {Literal(labels[i - 1])}" : actual.EnumLabels!.Count > 0 ? $" BEFORE {Literal(actual.EnumLabels![0])}" : string.Empty;
            yield return $"ALTER TYPE {TypeName(desired)} ADD VALUE IF NOT EXISTS {Literal(labels[i])}{position}";
        }
    }

    private static string Literal(string text) => PostgreSqlSchemaDialect.Literal(text);
}
