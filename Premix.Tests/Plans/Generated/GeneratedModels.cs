using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Premix.Tests.Infrastructure;
using Premix.Generation;
using Premix.Plans;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// Runs the generator as premix optimize does and compiles what it writes with Roslyn, as the application's build would,
/// then loads the model class's <c>Instance</c>: the tests start Premix on exactly the emitted C#.
/// </summary>
internal static class GeneratedModels
{
    /// <summary>The generated model of <paramref name="premix"/>'s model, compiled and loaded.</summary>
    public static GeneratedModel Compile(IPremix premix, string @namespace = "PremixGenerated") =>
        CompileAll([(premix, @namespace)])[0];

    /// <summary>
    /// The generated models of several started Premix instances, compiled together (one namespace each) and loaded;
    /// <paramref name="edit"/> changes each file's text first (a model as an older mapping would have had it generated).
    /// </summary>
    public static IReadOnlyList<GeneratedModel> CompileAll(IReadOnlyList<(IPremix Premix, string Namespace)> models, Func<string, string>? edit = null)
    {
        var files = models.SelectMany(m => ModelGenerator.Generate(m.Premix, new ModelGeneratorOptions { Namespace = m.Namespace })
            .Select(f => CSharpSyntaxTree.ParseText(edit is null ? f.Text : edit(f.Text), path: $"{m.Namespace}/{f.FileName}"))).ToList();
        var assembly = Load(files);
        return [.. models.Select(m => (GeneratedModel)assembly.GetType($"{m.Namespace}.PremixModel", throwOnError: true)!.GetProperty("Instance")!.GetValue(null)!)];
    }

    /// <summary>
    /// Compiles <paramref name="files"/> into an assembly and loads it; a compile error fails the test, naming it and its line.
    /// <paramref name="checkOverflow"/> compiles as a project with CheckForOverflowUnderflow would.
    /// </summary>
    public static Assembly Load(IReadOnlyList<SyntaxTree> files, bool checkOverflow = false) =>
        AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(Image(files, checkOverflow)));

    /// <summary>
    /// The generated model of <paramref name="premix"/>'s model (namespace <c>PremixGenerated</c>), compiled into the assembly
    /// file <paramref name="path"/> for another process to load.
    /// </summary>
    public static void EmitTo(IPremix premix, string path) =>
        File.WriteAllBytes(path, Image([.. ModelGenerator.Generate(premix).Select(f => CSharpSyntaxTree.ParseText(f.Text, path: f.FileName))], checkOverflow: false));

    private static byte[] Image(IReadOnlyList<SyntaxTree> files, bool checkOverflow) =>
        TestCompiler.Emit("PremixGenerated" + Guid.NewGuid().ToString("N"), files, "the generated C# compiles without errors or warnings", checkOverflow: checkOverflow);
}
