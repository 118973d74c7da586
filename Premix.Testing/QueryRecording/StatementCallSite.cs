namespace Premix.Testing;

/// <summary>Where a statement came from: the first frame of the caller's code outside Premix.</summary>
/// <param name="Member">The method, as <c>Type.Method</c> (an async method, lambda or local function named after the method that holds it).</param>
/// <param name="FilePath">The source file, when the assembly has its symbols (a .pdb); otherwise <see langword="null"/>.</param>
/// <param name="Line">The line in <paramref name="FilePath"/>, or 0 when unknown.</param>
public sealed record StatementCallSite(string Member, string? FilePath, int Line)
{
    /// <summary>The member and, when known, the file name and line: <c>OrderService.LoadAsync (OrderService.cs:42)</c>.</summary>
    public override string ToString() => FilePath is null ? Member : $"{Member} ({Path.GetFileName(FilePath)}:{Line})";
}
