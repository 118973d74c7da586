namespace Premix.Migrations;

/// <summary>One generated C# source file.</summary>
/// <param name="FileName">The file name, without folder (<c>Album.cs</c>).</param>
/// <param name="Content">The C# source.</param>
public sealed record ScaffoldedFile(string FileName, string Content);
