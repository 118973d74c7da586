using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// Compiles C# with Roslyn in the test, as an application's build would, against every assembly the test process has
/// loaded (the framework, Premix, the tests): what the generated-model tests and the assembly-scan tests compile.
/// </summary>
internal static class TestCompiler
{
    /// <summary>
    /// The image of <paramref name="files"/> compiled into the library <paramref name="name"/>, also referencing
    /// <paramref name="references"/>; an error or a warning fails the test, naming it and its line (<paramref name="what"/>
    /// says what should compile). <paramref name="checkOverflow"/> compiles as a project with CheckForOverflowUnderflow would.
    /// </summary>
    public static byte[] Emit(string name, IEnumerable<SyntaxTree> files, string what, IEnumerable<MetadataReference>? references = null, bool checkOverflow = false)
    {
        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.Length > 0)
            .Select(a => (MetadataReference)MetadataReference.CreateFromFile(a.Location));
        var compilation = CSharpCompilation.Create(
            name,
            files,
            [.. loaded, .. references ?? []],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, checkOverflow: checkOverflow)
                // As MSBuild does by default (NoWarn 1701;1702): reference unification notes about the loaded framework's versions.
                .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.That(emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()), Is.Empty, what);
        return image.ToArray();
    }
}
