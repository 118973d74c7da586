using System.IO.Compression;
using System.Reflection;
using System.Reflection.Metadata;
using System.Text.Json;
using System.Xml.Linq;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Premix.Tests.Packaging;

/// <summary>
/// Premix as users install it: the built libraries packed into a folder feed at a version no cache has seen, then a
/// new console app (<c>dotnet new console</c>) that installs Premix.Core and Premix.Providers.Sqlite from that feed
/// (their dependencies from nuget.org or this machine's packages folder) and writes and reads a row. Everything,
/// NuGet's packages folder included, lives in one temporary folder deleted at the end.
/// </summary>
[TestFixture]
public sealed class InstalledPackageTests
{
    private static readonly string[] PackageIds =
    [
        "Premix.Mapping", "Premix.Core", "Premix.Migrations", "Premix.Providers.Sqlite", "Premix.Providers.PostgreSql",
        "Premix.Providers.MySql", "Premix.Hosting", "Premix.AspNetCore", "Premix.Testing", "Premix.Testing.NUnit", "Premix.Cli",
    ];

    private string _root = null!;
    private string _feed = null!;
    private string _version = null!;
    private DotnetCli _dotnet = null!;

    private static string Repository => Metadata("PremixRepository");

    [OneTimeSetUp]
    public async Task PackEveryPackageAsync()
    {
        _root = Directory.CreateTempSubdirectory("premix-packages-").FullName;
        _feed = Path.Combine(_root, "feed");
        _dotnet = new DotnetCli(Path.Combine(_root, "nuget-packages"));
        var suffix = "test" + Guid.NewGuid().ToString("N")[..12];
        _version = $"{VersionPrefix()}-{suffix}";
        await _dotnet.RunAsync(Repository, "pack", "Premix.sln", "-c", Metadata("PremixConfiguration"), "--no-build", "--no-restore", "-o", _feed, $"-p:VersionSuffix={suffix}");
    }

    [OneTimeTearDown]
    public void DeleteEverything()
    {
        if (_root is not null && Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Test]
    public void Every_package_carries_its_readme_the_license_and_symbols_at_the_version_of_Directory_Build_props()
    {
        var packed = Directory.GetFiles(_feed, "*.nupkg").Select(Path.GetFileName).Order().ToArray();
        Assert.That(packed, Is.EqualTo(PackageIds.Select(id => $"{id}.{_version}.nupkg").Order()), "exactly the libraries and the tool: no test, sample or benchmark project");
        using (Assert.EnterMultipleScope())
        {
            foreach (var id in PackageIds)
            {
                using var package = ZipFile.OpenRead(Path.Combine(_feed, $"{id}.{_version}.nupkg"));
                var nuspec = Nuspec(package);
                string? Element(string name) => nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
                Assert.That(Element("readme"), Is.EqualTo("README.md"), id);
                Assert.That(package.GetEntry("README.md"), Is.Not.Null, $"{id} holds its README.md");
                Assert.That(Element("license"), Is.EqualTo("MIT"), id);
                Assert.That(File.Exists(Path.Combine(_feed, $"{id}.{_version}.snupkg")), Is.True, $"{id} has a symbol package");
            }

            using var tool = ZipFile.OpenRead(Path.Combine(_feed, $"Premix.Cli.{_version}.nupkg"));
            Assert.That(Nuspec(tool).Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name")?.Value, Is.EqualTo("DotnetTool"));
        }
    }

    [Test]
    public void Packed_symbols_name_sources_by_their_path_in_the_repository_not_on_the_build_machine()
    {
        var documents = new List<string>();
        foreach (var symbols in Directory.GetFiles(_feed, "*.snupkg"))
        {
            using var package = ZipFile.OpenRead(symbols);
            foreach (var entry in package.Entries.Where(e => e.FullName.EndsWith(".pdb", StringComparison.Ordinal)))
            {
                using var pdb = new MemoryStream();
                using (var stream = entry.Open())
                {
                    stream.CopyTo(pdb);
                }

                pdb.Position = 0;
                using var provider = MetadataReaderProvider.FromPortablePdbStream(pdb);
                var reader = provider.GetMetadataReader();
                documents.AddRange(reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name)));
            }
        }

        Assert.That(documents, Is.Not.Empty);
        Assert.That(
            documents,
            Has.All.StartsWith("/_/"),
            "a package built with ContinuousIntegrationBuild (./build.sh sets it, so does CI=true) maps the repository to /_/");
    }

    [Test]
    public async Task A_new_console_app_installs_Core_and_the_Sqlite_provider_from_the_feed_and_writes_and_reads_a_row()
    {
        var app = Path.Combine(_root, "app");
        await _dotnet.RunAsync(_root, "new", "console", "-o", app, "--no-restore");
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), NuGetConfig());
        await _dotnet.RunAsync(app, "add", "package", "Premix.Core", "--version", _version);
        await _dotnet.RunAsync(app, "add", "package", "Premix.Providers.Sqlite", "--version", _version);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), AppProgram);
        var database = Path.Combine(_root, "notes.db");

        var output = await _dotnet.RunAsync(app, "run", "--", database);

        Assert.That(output, Does.Contain("Read back: written through installed packages"));
        await using var connection = new SqliteConnection($"Data Source={database}");
        Assert.That(await connection.QuerySingleAsync<string>("select text from notes"), Is.EqualTo("written through installed packages"));
        var libraries = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(app, "obj", "project.assets.json")))
            .RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(libraries, Does.Contain($"Premix.Migrations/{_version}"), "the provider brings Premix.Migrations from the feed");
            Assert.That(libraries, Does.Contain($"Premix.Mapping/{_version}"));
            Assert.That(libraries, Has.None.StartsWith("Npgsql/").And.None.StartsWith("MySqlConnector/"), "no other engine's driver");
        }
    }

    [Test]
    public async Task An_app_that_installs_Core_gets_the_analyzers_warnings_when_it_builds()
    {
        var app = Path.Combine(_root, "warned");
        await _dotnet.RunAsync(_root, "new", "console", "-o", app, "--no-restore");
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), NuGetConfig());
        await _dotnet.RunAsync(app, "add", "package", "Premix.Core", "--version", _version);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), WarnedProgram);

        var output = await _dotnet.RunAsync(app, "build");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(output, Does.Contain("Program.cs(9,23): warning PMX1001"), "the concatenated SQL, where it reaches Raw(string)");
            Assert.That(output, Does.Contain("Program.cs(10,15): warning PMX1002"), "the unfiltered DeleteAllAsync");
            Assert.That(output, Does.Not.Contain("AD0001"), "no analyzer failed to load or run");
        }
    }

    // The feed first, nuget.org for the dependencies; packages this machine already has are read where they are.
    private string NuGetConfig()
    {
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return new XDocument(new XElement(
            "configuration",
            new XElement("packageSources", new XElement("clear"), Source("premix", _feed), Source("nuget.org", "https://api.nuget.org/v3/index.json")),
            new XElement("fallbackPackageFolders", Source("machine", machinePackages)))).ToString();

        static XElement Source(string key, string value) => new("add", new XAttribute("key", key), new XAttribute("value", value));
    }

    private const string AppProgram = """
        using Premix;
        using Premix.Mapping;
        using Premix.Migrations;

        await using var premix = PremixFactory.Create(p => p.UseSqlite($"Data Source={args[0]}").AddModelConfiguration<NoteMap>());
        await premix.SyncAsync();
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<Note>().Add(new Note { Text = "written through installed packages" });
            await uow.CommitAsync();
        }

        await using (var uow = premix.BeginUnitOfWork())
        {
            var note = (await uow.Repository<Note>().ListAsync()).Single();
            Console.WriteLine($"Read back: {note.Text}");
        }

        public sealed class Note
        {
            public long Id { get; set; }
            public string Text { get; set; } = "";
        }

        public sealed class NoteMap : ModelConfiguration<Note>
        {
            public override void Configure(EntityBuilder<Note> e) => e.ToTable("notes");
        }
        """;

    private const string WarnedProgram = """
        using Premix;

        Console.WriteLine("built");

        public static class Cleanup
        {
            public static async Task RunAsync(IUnitOfWork uow, string text)
            {
                await uow.Raw("DELETE FROM notes WHERE text = '" + text + "'").ExecuteAsync();
                await uow.Repository<Note>().Query().DeleteAllAsync();
            }
        }

        public sealed class Note
        {
            public long Id { get; set; }
            public string Text { get; set; } = "";
        }
        """;

    private static XDocument Nuspec(ZipArchive package)
    {
        using var stream = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream);
    }

    private static string VersionPrefix() =>
        XDocument.Load(Path.Combine(Repository, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;

    private static string Metadata(string key) =>
        typeof(InstalledPackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
