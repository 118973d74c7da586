namespace Premix.Generation;

/// <summary>One C# file of a generated model.</summary>
/// <param name="FileName">The file's name, without folder (<c>CustomerPlan.cs</c>).</param>
/// <param name="Text">The file's C# text.</param>
public sealed record GeneratedSourceFile(string FileName, string Text);
