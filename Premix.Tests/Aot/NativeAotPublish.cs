using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Premix.Tests.Packaging;

namespace Premix.Tests.Aot;

/// <summary>
/// The native AOT sample (samples/Premix.AotSample) published once per test run with <c>dotnet publish -c Release -r</c>
/// the machine's runtime identifier into a temporary folder: the binary, its size, and every trim and AOT warning the publish printed, each
/// once, with the assembly it comes from.
/// </summary>
internal sealed partial class NativeAotPublish
{
    /// <summary>The sample's namespace: warnings in its own code are the application's, not Premix's.</summary>
    public const string Application = "AotShop";

    private static readonly Lazy<Task<NativeAotPublish>> Shared = new(PublishAsync);

    private NativeAotPublish(string folder, IReadOnlyList<AotWarning> warnings, TimeSpan duration)
    {
        Folder = folder;
        Warnings = warnings;
        Duration = duration;
    }

    /// <summary>The publish folder.</summary>
    public string Folder { get; }

    /// <summary>The native executable.</summary>
    public string Binary => Path.Combine(Folder, "Premix.AotSample");

    /// <summary>Every distinct trim/AOT warning (IL2xxx, IL3xxx) of the publish.</summary>
    public IReadOnlyList<AotWarning> Warnings { get; }

    /// <summary>How long the publish took.</summary>
    public TimeSpan Duration { get; }

    /// <summary>The repository's root folder.</summary>
    public static string Repository => typeof(NativeAotPublish).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PremixRepository").Value!;

    /// <summary>The configuration the tests were built in, which the publish builds Premix's libraries in too.</summary>
    public static string Configuration => typeof(NativeAotPublish).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PremixConfiguration").Value!;

    /// <summary>The sample's project folder.</summary>
    public static string Project => Path.Combine(Repository, "samples", "Premix.AotSample");

    /// <summary>Publishes the sample, the first time it is asked for in this test run.</summary>
    public static Task<NativeAotPublish> GetAsync() => Shared.Value;

    /// <summary>A path for a file a test makes, beside the publish (deleted with it).</summary>
    public string TemporaryFile(string name) => Path.Combine(Path.GetDirectoryName(Folder)!, $"{Path.GetFileName(Folder)}-{Guid.NewGuid():N}-{name}");

    /// <summary>Deletes the publish folder and the files tests made beside it, if this test run published.</summary>
    public static async Task DeleteAsync()
    {
        if (!Shared.IsValueCreated || !Shared.Value.IsCompletedSuccessfully)
        {
            return;
        }

        var folder = (await Shared.Value).Folder;
        Directory.Delete(folder, recursive: true);
        if (Directory.Exists(ArtifactsOf(folder)))
        {
            Directory.Delete(ArtifactsOf(folder), recursive: true);
        }

        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(folder)!, $"{Path.GetFileName(folder)}-*"))
        {
            File.Delete(file);
        }
    }

    /// <summary>The warnings counted by owner (Premix, Dapper, the application, ...) and code, one line each, for the test output.</summary>
    public string Summary() => Warnings.Count == 0
        ? "no trim or AOT warning"
        : string.Join(Environment.NewLine, Warnings.GroupBy(w => w.Owner).OrderBy(g => g.Key, StringComparer.Ordinal).Select(owner =>
            $"{owner.Key}: {owner.Count()} ({string.Join(", ", owner.GroupBy(w => w.Code).OrderBy(g => g.Key, StringComparer.Ordinal).Select(code => $"{code.Key} x{code.Count()}"))})"));

    // Beside the publish folder, so DeleteAsync's pattern for files beside it does not take it for one.
    private static string ArtifactsOf(string folder) => folder + ".artifacts";

    private static async Task<NativeAotPublish> PublishAsync()
    {
        var folder = Directory.CreateTempSubdirectory("premix-aot-").FullName;
        // The machine's NuGet folder: the ILCompiler packages are large, and a user's publish uses them from there too.
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        // 408-595 s measured on a loaded machine, and over 600 s once with other test runs beside it: 15 minutes before it counts as hung.
        var dotnet = new DotnetCli(packages, TimeSpan.FromMinutes(15));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Its own artifacts folder: a publish for a runtime identifier restores and builds the whole project graph again, and
        // must not rewrite the repository's bin and obj while other fixtures pack or run from them.
        var output = await dotnet.RunAsync(Project, "publish", "-c", Configuration, "-r", RuntimeInformation.RuntimeIdentifier, "-o", folder, "--artifacts-path", ArtifactsOf(folder), "-p:ContinuousIntegrationBuild=true");
        return new NativeAotPublish(folder, Parse(output), clock.Elapsed);
    }

    /// <summary>The distinct IL2xxx/IL3xxx warnings of a build's output (MSBuild prints each again in its summary).</summary>
    internal static IReadOnlyList<AotWarning> Parse(string output) => [.. output.Split('\n')
        .Select(line => WarningLine().Match(line))
        .Where(match => match.Success)
        .Select(match => new AotWarning(match.Groups["code"].Value, OwnerOf(match.Groups["origin"].Value, match.Groups["text"].Value), match.Groups["text"].Value.Trim()))
        .Distinct()];

    // A warning in the application's source is the application's; otherwise the member it names (or the assembly IL2104
    // names) says whose code it is: Premix.Core's types live in namespace Premix, Dapper's in Dapper, and so on.
    private static string OwnerOf(string origin, string text)
    {
        if (origin.Contains("Premix.AotSample", StringComparison.Ordinal) || text.StartsWith(Application, StringComparison.Ordinal) || text.StartsWith("Program.", StringComparison.Ordinal))
        {
            return Application;
        }

        var assembly = AssemblyName().Match(text);
        var name = assembly.Success ? assembly.Groups[1].Value : text;
        var end = name.IndexOfAny(['.', '`', '(', ':', ' ', '<']);
        return end > 0 ? name[..end] : name;
    }

    [GeneratedRegex(@"^(?<origin>.*?):? (?:Trim analysis |AOT analysis |Single-file analysis )?warning (?<code>IL[23]\d{3}): (?<text>.*?)(?: \[[^\]]*\])?\s*$")]
    private static partial Regex WarningLine();

    [GeneratedRegex(@"^Assembly '([^']+)'")]
    private static partial Regex AssemblyName();
}
