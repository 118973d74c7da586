namespace Premix.Migrations;

/// <summary>
/// One column's property; <paramref name="ColumnType"/> is the type it declares (<see cref="ScaffoldColumnType"/>), if any, and
/// <paramref name="Enum"/> the generated enum of a PostgreSQL enum column (stored with <c>StoredAsEnumType</c>), if it is one, or of the
/// elements of an array of an enum type (<paramref name="IsEnumArray"/>: a <c>Rating[]</c> property); <paramref name="Composite"/> the
/// generated class of a PostgreSQL composite-type column (stored with <c>StoredAsCompositeType</c>), if it is one.
/// </summary>
internal sealed record ScaffoldProperty(ColumnSchema Column, string Name, ColumnClrType Type, bool IsNullable, bool IsKey, string? ColumnType = null, ScaffoldEnum? Enum = null, bool IsEnumArray = false, ScaffoldComposite? Composite = null);
