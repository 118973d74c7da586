namespace Premix.Migrations;

/// <summary>One migration file's text before parsing, whether it was read from a folder or from an assembly's resources.</summary>
/// <param name="FileName">The file's name, <c>YYYYMMDDHHMMSS_name.sql</c>.</param>
/// <param name="Location">Where it was read from, for <see cref="MigrationFile.Path"/>.</param>
/// <param name="Text">The text, decoded as UTF-8.</param>
internal sealed record MigrationText(string FileName, string Location, string Text);
