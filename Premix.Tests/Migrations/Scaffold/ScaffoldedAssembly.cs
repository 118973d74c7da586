using System.Reflection;
using Premix.Mapping;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations.Scaffold;

/// <summary>
/// Compiles scaffolded files without Roslyn in the test process: runs the SDK's own C# compiler (csc) on them, against
/// the reference pack of the runtime and the Premix assemblies of the test run, and loads the result. The compiler is
/// called directly rather than through <c>dotnet build</c>: a project build (restore, MSBuild, a cold compiler) cost
/// several times the CPU for the same check, once per scaffold fixture and engine.
/// </summary>
internal static class ScaffoldedAssembly
{
    // What ImplicitUsings gives a Microsoft.NET.Sdk project, which is what a user's project compiles the files with.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly Lazy<(string Compiler, string[] References, string[] Analyzers)> Toolchain = new(FindToolchain);

    /// <summary>Compiles <paramref name="files"/> (warnings as errors, nullable on, XML docs checked, .NET analyzers) and loads the assembly.</summary>
    public static async Task<Assembly> CompileAsync(string assemblyName, IReadOnlyList<ScaffoldedFile> files)
    {
        var folder = Path.Combine(Path.GetTempPath(), assemblyName);
        Directory.CreateDirectory(folder);
        try
        {
            foreach (var file in files)
            {
                await File.WriteAllTextAsync(Path.Combine(folder, file.FileName), file.Content);
            }

            await File.WriteAllTextAsync(Path.Combine(folder, "ImplicitUsings.g.cs"), ImplicitUsings);
            var (compiler, references, analyzers) = Toolchain.Value;
            var output = Path.Combine(folder, assemblyName + ".dll");
            var arguments = new[] { "-nologo", "-target:library", $"-out:{output}", $"-doc:{Path.ChangeExtension(output, ".xml")}", "-nullable:enable", "-warnaserror+", "-langversion:latest", "-optimize+", "-deterministic" }
                .Concat(references.Select(r => $"-r:{r}"))
                .Concat(analyzers.Select(a => $"-analyzer:{a}"))
                .Concat(files.Select(f => f.FileName))
                .Append("ImplicitUsings.g.cs");
            await File.WriteAllLinesAsync(Path.Combine(folder, "csc.rsp"), arguments.Select(a => $"\"{a}\""));
            var (exitCode, log) = await RunAsync(folder, compiler, "-noconfig", "@csc.rsp"); // -noconfig counts only outside a response file
            Assert.That(exitCode, Is.Zero, $"The scaffolded code does not compile:\n{log}");

            // Loaded from its bytes, so the folder can go; its references resolve to the Premix assemblies already loaded.
            return Assembly.Load(await File.ReadAllBytesAsync(output));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // The newest SDK's compiler and .NET analyzers, the reference pack of the running runtime's version (else the
    // newest), and the Premix (and Npgsql) assemblies the scaffolded code uses.
    private static (string Compiler, string[] References, string[] Analyzers) FindToolchain()
    {
        var root = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var sdk = Newest(Path.Combine(root, "sdk"), d => File.Exists(Path.Combine(d, "Roslyn", "bincore", "csc.dll")));
        var pack = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        var exact = Path.Combine(pack, Environment.Version.ToString(3), "ref", $"net{Environment.Version.Major}.0");
        var refs = Directory.Exists(exact) ? exact : Path.Combine(Newest(pack, d => Directory.Exists(Path.Combine(d, "ref"))), "ref", $"net{Environment.Version.Major}.0");
        var premixFolder = Path.GetDirectoryName(typeof(ModelConfiguration).Assembly.Location)!;
        var analyzers = Path.Combine(sdk, "Sdks", "Microsoft.NET.Sdk", "analyzers");
        return (
            Path.Combine(sdk, "Roslyn", "bincore", "csc.dll"),
            [.. Directory.GetFiles(refs, "*.dll"), Path.Combine(premixFolder, "Premix.Mapping.dll"), Path.Combine(premixFolder, "Premix.Core.dll"), Path.Combine(premixFolder, "Npgsql.dll")], // NpgsqlRange<T>, which the PostgreSQL provider brings
            [Path.Combine(analyzers, "Microsoft.CodeAnalysis.NetAnalyzers.dll"), Path.Combine(analyzers, "Microsoft.CodeAnalysis.CSharp.NetAnalyzers.dll")]);
    }

    private static string Newest(string folder, Func<string, bool> usable) =>
        Directory.GetDirectories(folder).Where(usable)
            .MaxBy(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var version) ? version : new Version())
        ?? throw new DirectoryNotFoundException($"Nothing usable in {folder} to compile scaffolded code with.");

    private static async Task<(int ExitCode, string Log)> RunAsync(string folder, params string[] arguments)
    {
        var result = await ChildProcess.RunToExitAsync(
            ChildProcess.StartInfo(ChildProcess.DotnetHost, arguments, folder), TimeSpan.FromMinutes(5), "The C# compiler");
        return (result.ExitCode, result.Everything);
    }
}
