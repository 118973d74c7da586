namespace Premix.Migrations;

/// <summary>One column's property; <paramref name="ColumnType"/> is the type it declares (<see cref="ScaffoldColumnType"/>), if any.</summary>
internal sealed record ScaffoldProperty(ColumnSchema Column, string Name, ColumnClrType Type, bool IsNullable, bool IsKey, string? ColumnType = null);
