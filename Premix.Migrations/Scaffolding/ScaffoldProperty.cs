namespace Premix.Migrations;

/// <summary>One column's property.</summary>
internal sealed record ScaffoldProperty(ColumnSchema Column, string Name, ColumnClrType Type, bool IsNullable, bool IsKey);
