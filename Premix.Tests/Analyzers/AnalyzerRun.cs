using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Premix.Tests.Analyzers;

/// <summary>
/// Runs one analyzer on a snippet with the Roslyn analyzer testing package: the markup <c>{|PMX1001:text|}</c> says where
/// a diagnostic must be, and a snippet without markup must produce none; a fix is applied and compared with the expected code. The snippet compiles against this process's own
/// runtime and Premix assemblies (nothing downloaded), with every compiler error failing the test.
/// </summary>
internal static class AnalyzerRun
{
    private static readonly MetadataReference[] References = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
        .Split(Path.PathSeparator)
        .Where(path => Path.GetDirectoryName(path) == Path.GetDirectoryName(typeof(object).Assembly.Location)
            || Path.GetFileName(path).StartsWith("Premix.", StringComparison.Ordinal) || Path.GetFileName(path).StartsWith("Npgsql", StringComparison.Ordinal))
        .Where(path => !Path.GetFileName(path).StartsWith("Premix.Tests", StringComparison.Ordinal))
        .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
        .ToArray();

    public static Task VerifyAsync<TAnalyzer>(string source)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        {
            TestCode = source,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };
        test.TestState.AdditionalReferences.AddRange(References);
        return test.RunAsync();
    }

    /// <summary>Runs <typeparamref name="TAnalyzer"/> on <paramref name="source"/>, applies <typeparamref name="TFix"/> to each diagnostic, and compares with <paramref name="fixedSource"/> (which must then have none).</summary>
    public static Task VerifyFixAsync<TAnalyzer, TFix>(string source, string fixedSource)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };
        test.TestState.AdditionalReferences.AddRange(References);
        test.FixedState.AdditionalReferences.AddRange(References);
        return test.RunAsync();
    }
}
