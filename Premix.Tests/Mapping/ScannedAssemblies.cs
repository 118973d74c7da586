using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Mapping;

/// <summary>
/// Assemblies compiled with Roslyn for the assembly-scan tests, as an application and its libraries would be built, and
/// loaded into a load context of their own that records every assembly the runtime asks it for: a test can say which
/// assemblies a scan made the runtime load. A library compiled with <c>deployed: false</c> is referenced by the later
/// compilations but never loadable, as a dependency missing from a publish.
/// </summary>
internal sealed class ScannedAssemblies : AssemblyLoadContext
{
    private static readonly Assembly TestAssembly = typeof(ScannedAssemblies).Assembly;

    private readonly Dictionary<string, byte[]> _deployed = [];
    private readonly List<MetadataReference> _compiled = [];
    private readonly List<string> _requested = [];

    public ScannedAssemblies()
        : base("premix-scan-" + Guid.NewGuid().ToString("N"))
    {
    }

    /// <summary>The simple names of the assemblies the runtime asked this context for, in order.</summary>
    public IReadOnlyList<string> Requested => _requested;

    /// <summary>Compiles <paramref name="source"/> into the library <paramref name="name"/>, referencing the libraries compiled before.</summary>
    public ScannedAssemblies Library(string name, string source, bool deployed = true)
    {
        var image = Compile(name, source);
        _compiled.Add(MetadataReference.CreateFromImage(image));
        if (deployed)
        {
            _deployed[name] = image;
        }

        return this;
    }

    /// <summary>Compiles <paramref name="source"/> into the assembly <paramref name="name"/>, referencing the libraries compiled before, and loads it.</summary>
    public Assembly Load(string name, string source)
    {
        var image = Compile(name, source);
        _compiled.Add(MetadataReference.CreateFromImage(image));
        return LoadFromStream(new MemoryStream(image));
    }

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var name = assemblyName.Name!;
        _requested.Add(name);
        if (_deployed.TryGetValue(name, out var image))
        {
            return LoadFromStream(new MemoryStream(image));
        }

        // The tests' own assembly and Premix as the test process loaded them, so the compiled maps map the tests' entities.
        return GetLoadContext(TestAssembly)!.Assemblies.FirstOrDefault(a => a.GetName().Name == name);
    }

    private byte[] Compile(string name, string source) => TestCompiler.Emit(name, [CSharpSyntaxTree.ParseText(source)], $"{name} compiles", _compiled);
}
