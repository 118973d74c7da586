namespace Premix.Migrations;

/// <summary>
/// The CLR type that reads and writes an introspected column, with the length or precision the column declares:
/// the reverse of the dialect's column type, used to scaffold entities from a live database.
/// </summary>
/// <param name="Type">The non-nullable CLR type (<see cref="int"/>, <see cref="string"/>, <see cref="T:byte[]"/>).</param>
/// <param name="MaxLength">The declared length of a text or binary column, or <see langword="null"/>.</param>
/// <param name="Precision">The declared precision of a decimal column, or <see langword="null"/>.</param>
/// <param name="Scale">The declared scale of a decimal column, or <see langword="null"/>.</param>
/// <param name="ColumnType">
/// The column type to declare with <c>HasColumnType</c>, for a column the CLR type reads and writes but whose type Premix
/// would not choose for it (MySQL's <c>enum(...)</c>, <c>set(...)</c> and <c>year</c>); <see langword="null"/> otherwise.
/// </param>
public sealed record ColumnClrType(Type Type, int? MaxLength = null, int? Precision = null, int? Scale = null, string? ColumnType = null);
