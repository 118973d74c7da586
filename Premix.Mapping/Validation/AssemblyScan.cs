using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Premix.Mapping;

/// <summary>
/// What one <see cref="ModelBuilder.AddFromAssembly"/> found: the mapping classes it created and those it had to skip,
/// so that a scan that found nothing can say where it looked and why it may have come back empty.
/// </summary>
internal sealed class AssemblyScan
{
    private AssemblyScan(string assembly, IReadOnlyList<ModelConfiguration> configurations, IReadOnlyList<string> skipped)
    {
        Assembly = assembly;
        Configurations = configurations;
        Skipped = skipped;
    }

    /// <summary>The scanned assembly's simple name.</summary>
    public string Assembly { get; }

    /// <summary>The mapping classes created, in full-name order.</summary>
    public IReadOnlyList<ModelConfiguration> Configurations { get; }

    /// <summary>Concrete mapping classes that could not be created, each with the reason.</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>Creates every non-abstract, closed <see cref="ModelConfiguration"/> of <paramref name="assembly"/> that has a public parameterless constructor.</summary>
    [RequiresUnreferencedCode(ModelBuilder.ScanTrimmingMessage)]
    public static AssemblyScan Run(Assembly assembly)
    {
        var configurations = new List<ModelConfiguration>();
        var skipped = new List<string>();
        var types = assembly.GetTypes()
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

        return new AssemblyScan(assembly.GetName().Name ?? assembly.FullName ?? "?", configurations, skipped);
    }

    /// <summary>The problem of a scan that found no mapping class; <paramref name="modelIsEmpty"/> when no other registration mapped anything either.</summary>
    public MappingProblem NothingFound(bool modelIsEmpty) => new(
        null,
        null,
        (modelIsEmpty ? "No entity is mapped: " : string.Empty)
        + $"AddModelConfigurationsFrom scanned {Assembly} and found no ModelConfiguration<T> class it can create"
        + (Skipped.Count == 0 ? "." : $"; it skipped {string.Join(", ", Skipped)}.")
        + " Likely causes: the mapping classes live in another assembly; trimming (PublishTrimmed) removed them, because"
        + " nothing but this scan refers to them; they are abstract, generic or lack a public parameterless constructor.",
        "Pass the assembly that holds the mapping classes, for example typeof(CustomerMap).Assembly; in a trimmed app"
        + $" register them with AddModelConfiguration<CustomerMap>() (trimming keeps what is named) or keep the assembly with <TrimmerRootAssembly Include=\"{Assembly}\" />;"
        + " register a class that needs constructor arguments with AddModelConfiguration(instance)"
        + (modelIsEmpty ? "; an application that uses Premix only for raw SQL or migrations calls AllowEmptyModel()." : ", or remove this call."));
}
