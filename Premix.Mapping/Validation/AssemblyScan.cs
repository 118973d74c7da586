using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Premix.Mapping;

/// <summary>
/// What one <see cref="ModelBuilder.AddFromAssembly"/> found: the mapping classes it created and those it had to skip,
/// so that a scan that found nothing can say where it looked and why it may have come back empty.
/// </summary>
internal sealed class AssemblyScan
{
    private AssemblyScan(string assembly, IReadOnlyList<ModelConfiguration> configurations, IReadOnlyList<string> skipped, IReadOnlyList<string> unloadable, IReadOnlyList<string> unresolvedBases)
    {
        Assembly = assembly;
        Configurations = configurations;
        Skipped = skipped;
        Unloadable = unloadable;
        UnresolvedBases = unresolvedBases;
    }

    /// <summary>The scanned assembly's simple name.</summary>
    public string Assembly { get; }

    /// <summary>The mapping classes created, in full-name order.</summary>
    public IReadOnlyList<ModelConfiguration> Configurations { get; }

    /// <summary>Concrete mapping classes that could not be created, each with the reason.</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>Mapping classes that failed to load, each with the loader's message: a problem of the model.</summary>
    public IReadOnlyList<string> Unloadable { get; }

    /// <summary>Base classes in other assemblies that failed to load, each with the loader's message: a type deriving from one was not examined.</summary>
    public IReadOnlyList<string> UnresolvedBases { get; }

    /// <summary>
    /// Creates every non-abstract, closed <see cref="ModelConfiguration"/> of <paramref name="assembly"/> that has a public
    /// parameterless constructor, loading only the mapping classes when the assembly's metadata can be read
    /// (<see cref="MappingClassCandidates"/>), every type otherwise.
    /// </summary>
    [RequiresUnreferencedCode(ModelBuilder.ScanTrimmingMessage)]
    public static AssemblyScan Run(Assembly assembly)
    {
        var configurations = new List<ModelConfiguration>();
        var skipped = new List<string>();
        var unloadable = new List<string>();
        var unresolvedBases = new List<string>();
        var types = (MappingClassCandidates.Find(assembly, unloadable, unresolvedBases) ?? [.. assembly.GetTypes()])
            .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false } && typeof(ModelConfiguration).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var type in types)
        {
            if (type.GetConstructor(Type.EmptyTypes) is null)
            {
                skipped.Add($"{type.Name} (no public parameterless constructor)");
                continue;
            }

            configurations.Add((ModelConfiguration)Activator.CreateInstance(type)!);
        }

        return new AssemblyScan(assembly.GetName().Name ?? assembly.FullName ?? "?", configurations, skipped, unloadable, unresolvedBases);
    }

    /// <summary>The problem of a mapping class the scan found but could not load (a missing or broken assembly it needs).</summary>
    public MappingProblem CouldNotLoad(string unloadable) => new(
        null,
        null,
        $"AddModelConfigurationsFrom scanned {Assembly} and could not load the mapping class {unloadable}.",
        "Deploy what the loader names with the application (a package or project reference missing from it, or a file left out of"
        + $" the publish), or move the class out of {Assembly}.");

    /// <summary>The problem of a scan that found no mapping class; <paramref name="modelIsEmpty"/> when no other registration mapped anything either.</summary>
    public MappingProblem NothingFound(bool modelIsEmpty) => new(
        null,
        null,
        (modelIsEmpty ? "No entity is mapped: " : string.Empty)
        + $"AddModelConfigurationsFrom scanned {Assembly} and found no ModelConfiguration<T> class it can create"
        + (Skipped.Count == 0 ? string.Empty : $"; it skipped {string.Join(", ", Skipped)}")
        + (UnresolvedBases.Count == 0 ? "." : $"; it could not load {string.Join(", ", UnresolvedBases)}, so the classes deriving from them were not examined.")
        + " Likely causes: the mapping classes live in another assembly; trimming (PublishTrimmed) removed them, because"
        + " nothing but this scan refers to them; they are abstract, generic or lack a public parameterless constructor.",
        "Pass the assembly that holds the mapping classes, for example typeof(CustomerMap).Assembly; in a trimmed app"
        + $" register them with AddModelConfiguration<CustomerMap>() (trimming keeps what is named) or keep the assembly with <TrimmerRootAssembly Include=\"{Assembly}\" />;"
        + " register a class that needs constructor arguments with AddModelConfiguration(instance)"
        + (modelIsEmpty ? "; an application that uses Premix only for raw SQL or migrations calls AllowEmptyModel()." : ", or remove this call."));
}
