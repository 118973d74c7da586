using System.Text.Json;
using System.Text.Json.Nodes;

namespace Premix.Cli.Connecting;

/// <summary>
/// The shared frameworks an application's <c>.runtimeconfig.json</c> names (<c>Microsoft.NETCore.App</c>,
/// <c>Microsoft.AspNetCore.App</c>, ...): what the .NET host resolves before the application's first line runs.
/// </summary>
/// <param name="Path">The file.</param>
/// <param name="Frameworks">Each framework's name and the version the application was built for.</param>
internal sealed record RuntimeConfig(string Path, IReadOnlyList<(string Name, string Version)> Frameworks)
{
    /// <summary>The framework every .NET application runs on, and the only one the premix tool names itself.</summary>
    public const string CoreFramework = "Microsoft.NETCore.App";

    private const string DynamicCodeSwitch = "System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported";

    /// <summary>
    /// The file for the tool's own process: a copy in the temporary folder with dynamic code on when the application turns it
    /// off, else <see cref="Path"/>. An application published with native AOT (<c>PublishAot</c>) runs its JIT builds with
    /// <c>RuntimeFeature.IsDynamicCodeSupported</c> off, so they behave as its native binary (Premix then requires the
    /// generated model); the tool, which writes that model from the mapping, compiles plans as any JIT process does.
    /// </summary>
    public string ForTool()
    {
        var root = JsonNode.Parse(File.ReadAllText(Path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (root?["runtimeOptions"]?["configProperties"] is not JsonObject properties || !properties.ContainsKey(DynamicCodeSwitch))
        {
            return Path;
        }

        properties[DynamicCodeSwitch] = true;
        var copy = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"premix-{Guid.NewGuid():N}.runtimeconfig.json");
        File.WriteAllText(copy, root.ToJsonString());
        return copy;
    }

    /// <summary>The file beside <paramref name="assembly"/> (<c>MyApp.dll</c> → <c>MyApp.runtimeconfig.json</c>).</summary>
    public static string PathFor(FileInfo assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return System.IO.Path.ChangeExtension(assembly.FullName, ".runtimeconfig.json");
    }

    /// <summary>
    /// Reads the runtimeconfig.json beside <paramref name="assembly"/>; <see langword="null"/> when there is none (a class
    /// library) or when it names no framework (a self-contained application carries its runtime in its own folder).
    /// </summary>
    /// <exception cref="InvalidOperationException">The file is not valid JSON.</exception>
    public static RuntimeConfig? Read(FileInfo assembly)
    {
        var path = PathFor(assembly);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var options = document.RootElement.TryGetProperty("runtimeOptions", out var found) ? found : default;
            var frameworks = new List<(string, string)>();
            if (options.ValueKind == JsonValueKind.Object)
            {
                if (options.TryGetProperty("framework", out var single))
                {
                    Add(frameworks, single);
                }

                if (options.TryGetProperty("frameworks", out var several) && several.ValueKind == JsonValueKind.Array)
                {
                    foreach (var framework in several.EnumerateArray())
                    {
                        Add(frameworks, framework);
                    }
                }
            }

            return frameworks.Count == 0 ? null : new RuntimeConfig(path, frameworks);
        }
        catch (JsonException exception)
        {
            throw new InvalidOperationException($"The application's '{path}' is not valid JSON ({exception.Message}); rebuild the application.", exception);
        }
    }

    /// <summary>
    /// Whether this process cannot load the application: it names a framework besides <see cref="CoreFramework"/> (the
    /// tool runs on that one alone), or a newer <see cref="CoreFramework"/> than the one running.
    /// </summary>
    public bool NeedsOtherRuntime => Frameworks.Any(f => f.Name != CoreFramework || NumericPart(f.Version) > Environment.Version);

    private static void Add(List<(string, string)> frameworks, JsonElement framework)
    {
        if (framework.ValueKind == JsonValueKind.Object
            && framework.TryGetProperty("name", out var name) && name.GetString() is { Length: > 0 } frameworkName)
        {
            frameworks.Add((frameworkName, framework.TryGetProperty("version", out var version) ? version.GetString() ?? "0.0" : "0.0"));
        }
    }

    // "10.0.0-preview.3.25171.5" → 10.0.0: what the host compares first.
    private static Version NumericPart(string version) =>
        Version.TryParse(version.Split('-', '+')[0], out var parsed) ? parsed : new Version(0, 0);
}
