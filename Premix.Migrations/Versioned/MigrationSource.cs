using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Premix.Migrations;

/// <summary>
/// Where versioned migrations are read from: a folder of <c>YYYYMMDDHHMMSS_name.sql</c> files, or the same files
/// embedded in an assembly, so an application carries its migrations with it and runs them at deploy time. A folder's
/// path converts to a source, so <c>premix.MigrateAsync("migrations")</c> reads that folder.
/// </summary>
public sealed partial class MigrationSource
{
    private readonly Func<IReadOnlyList<MigrationFile>> _load;
    private readonly string _description;

    private MigrationSource(Func<IReadOnlyList<MigrationFile>> load, string description)
    {
        _load = load;
        _description = description;
    }

    /// <summary>The <c>*.sql</c> files of a folder (not its subfolders).</summary>
    /// <param name="path">The folder, absolute or relative to the current directory.</param>
    public static MigrationSource Folder(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new MigrationSource(() => MigrationFolder.Load(path), $"'{path}'");
    }

    /// <summary>
    /// The <c>*.sql</c> files embedded in <paramref name="assembly"/>, for example with
    /// <c>&lt;EmbeddedResource Include="migrations/*.sql" /&gt;</c> in its project file. The file name is the end of
    /// the resource name (the build prefixes it with the assembly's namespace and folder).
    /// </summary>
    /// <param name="assembly">The assembly that embeds the files, for example <c>typeof(Program).Assembly</c>.</param>
    /// <param name="resourcePrefix">
    /// Only resources whose name starts with this (for example <c>MyApp.migrations.</c>) are migrations; every
    /// <c>*.sql</c> resource when <see langword="null"/>, so pass it when the assembly embeds other SQL.
    /// </param>
    public static MigrationSource Embedded(Assembly assembly, string? resourcePrefix = null)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var origin = $"the resources of {assembly.GetName().Name}{(resourcePrefix is null ? string.Empty : $" starting with '{resourcePrefix}'")}";
        return new MigrationSource(() => LoadEmbedded(assembly, resourcePrefix, origin), origin);
    }

    /// <summary>Reads the migrations of the folder <paramref name="folder"/>, as <see cref="Folder"/> does.</summary>
    /// <param name="folder">The folder's path.</param>
    public static implicit operator MigrationSource(string folder) => Folder(folder);

    /// <summary>Reads the migrations of the folder <paramref name="folder"/>: the named alternative to the conversion.</summary>
    /// <param name="folder">The folder's path.</param>
    public static MigrationSource FromString(string folder) => Folder(folder);

    /// <summary>Reads, checks and orders the migrations.</summary>
    /// <exception cref="MigrationException">The folder does not exist, nothing matches, or files are malformed; the message lists every problem.</exception>
    public IReadOnlyList<MigrationFile> Load() => _load();

    /// <summary>The folder's path, or the assembly and prefix, as messages name the source.</summary>
    public override string ToString() => _description;

    private static IReadOnlyList<MigrationFile> LoadEmbedded(Assembly assembly, string? prefix, string origin)
    {
        var texts = new List<MigrationText>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.EndsWith(".sql", StringComparison.OrdinalIgnoreCase) || (prefix is not null && !resource.StartsWith(prefix, StringComparison.Ordinal)))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            texts.Add(new MigrationText(FileName(resource, prefix), $"{assembly.GetName().Name}:{resource}", reader.ReadToEnd()));
        }

        if (texts.Count == 0)
        {
            throw new MigrationException(
                $"{Capitalized(origin)} hold no *.sql file; embed the migrations with <EmbeddedResource Include=\"migrations/*.sql\" /> in the project file, or check the prefix.");
        }

        return MigrationFolder.Parse(texts, Capitalized(origin));
    }

    // The build names a resource Namespace.folder.file.sql: the file name is the last part that looks like one.
    private static string FileName(string resource, string? prefix)
    {
        var match = EmbeddedFileName().Match(resource);
        return match.Success ? match.Groups["file"].Value : prefix is null ? resource : resource[prefix.Length..];
    }

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    [GeneratedRegex(@"(?:^|[./\\])(?<file>[0-9]{14}_[A-Za-z0-9_\-]+\.sql)$", RegexOptions.CultureInvariant)]
    private static partial Regex EmbeddedFileName();
}
