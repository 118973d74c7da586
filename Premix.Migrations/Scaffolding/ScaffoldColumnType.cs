using Premix.Mapping;

namespace Premix.Migrations;

/// <summary>
/// Whether a scaffolded property declares its column's type with <c>HasColumnType</c>: exactly when Premix's own column
/// for the property's CLR type (with its length and precision) is another type than the column's (an unsigned
/// <c>smallint</c> read as an <c>int</c>, a <c>text</c> that Premix would make <c>LONGTEXT</c>). The scaffolded model
/// then describes the database as it is, its diff against it is empty, and a sync into an empty database creates the
/// same types.
/// </summary>
internal static class ScaffoldColumnType
{
    /// <summary>
    /// The type to declare, or <see langword="null"/>; and, when the column needs one that the engine refuses for the
    /// property (a MySQL <c>TIMESTAMP</c> under a <see cref="DateTime"/>), why: the column is then left out (kept in the
    /// table, unmapped), since mapping it as another type would make a diff against its own database change it.
    /// </summary>
    public static (string? Declared, string? Refused) Choose(ColumnSchema column, ColumnClrType type, string propertyName, SchemaDialect dialect)
    {
        string standard;
        try
        {
            standard = dialect.StoreType(StandIn(column, type, null));
        }
        catch (NotSupportedException)
        {
            return (column.StoreType, null); // no column of Premix's own for the type: the column's is the only one there is
        }

        if (dialect.SameType(standard, column.StoreType))
        {
            return (null, null);
        }

        return dialect.MappingProblem(StandIn(column, type, column.StoreType)) is var (problem, fix)
            ? (null, $"a {CSharpNames.TypeName(type.Type)} property {propertyName} would be refused at startup: it {problem.TrimEnd('.')}; to map it, {char.ToLowerInvariant(fix[0])}{fix[1..].TrimEnd('.')}")
            : (column.StoreType, null);
    }

    // A property of the type, as the generated map describes it: the dialect's own type mapping and checks answer for it.
    private static PropertyModel StandIn(ColumnSchema column, ColumnClrType type, string? declared)
    {
        var property = typeof(StandInEntity<>).MakeGenericType(type.Type).GetProperty(nameof(StandInEntity<int>.Value))!;
        return type is { Precision: { } precision, Scale: { } scale }
            ? new PropertyModel(property, column.Name, !column.IsNullable) { MaxLength = type.MaxLength, Precision = precision, Scale = scale, ColumnType = declared }
            : new PropertyModel(property, column.Name, !column.IsNullable) { MaxLength = type.MaxLength, ColumnType = declared, ArrayElementType = ArrayTypes.ElementType(type.Type) };
    }

    private sealed class StandInEntity<T>
    {
        public T? Value { get; set; }
    }
}
