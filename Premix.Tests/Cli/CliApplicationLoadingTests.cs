using System.Text.Json.Nodes;

namespace Premix.Tests.Cli;

/// <summary>
/// What premix says when an application cannot be loaded, or its host cannot be built: the error names what is missing,
/// and the hint points at the fix (the application's own .dll with its runtimeconfig.json, a rebuild, an installed
/// framework, or options). Copies of the test applications with a file removed or changed stand for broken builds.
/// </summary>
public sealed class CliApplicationLoadingTests
{
    private const string DynamicCodeSwitch = "System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported";
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("premix_cli_app_").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task An_aspnetcore_app_without_its_runtimeconfig_names_the_framework_assembly_and_the_missing_file()
    {
        var copy = CopyWithout(CliProcess.WebAppPath, ".runtimeconfig.json");

        var result = await CliProcess.RunAsync(["plans", "--provider", "sqlite", "--naming", "snake-case", "--assembly", copy]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[0], Does.StartWith("error: Premix.Tests.WebApp cannot be loaded: Could not load file or assembly 'Microsoft.Extensions.Diagnostics.HealthChecks.Abstractions"));
        Assert.That(result.ErrorLines[^1], Is.EqualTo(
            "hint: Microsoft.Extensions.Diagnostics.HealthChecks.Abstractions may be part of a shared framework (such as Microsoft.AspNetCore.App), and 'Premix.Tests.WebApp.runtimeconfig.json', which names the frameworks an application runs on, "
            + $"is not beside '{copy}': pass the .dll of the application itself (the project with Program.cs), from its build output folder (bin/Debug/net10.0/), where its .runtimeconfig.json and .deps.json are."));
        Assert.That(result.Error, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public async Task A_dependency_missing_from_the_applications_folder_is_named_with_a_hint_to_rebuild()
    {
        var copy = CopyWithout(CliProcess.FactoryPath, ".runtimeconfig.json");
        File.WriteAllText(Path.ChangeExtension(copy, ".runtimeconfig.json"), RuntimeConfig(("Microsoft.NETCore.App", "10.0.0")));

        var result = await CliProcess.RunAsync(["plans", "--assembly", copy]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[0], Does.StartWith("error: Premix.Tests.CliFactory cannot be loaded: Could not load file or assembly 'Premix.Tests.CliModel"));
        Assert.That(result.ErrorLines[^1], Is.EqualTo(
            "hint: Premix.Tests.CliModel is neither in the application's folder (as 'Premix.Tests.CliFactory.deps.json' lists it) nor in the shared frameworks its runtimeconfig.json names (Microsoft.NETCore.App):"
            + " rebuild the application (dotnet build) and pass the .dll of its build output folder, with the files the build put beside it."));
    }

    [Test]
    public async Task An_app_on_a_framework_that_is_not_installed_fails_with_the_hosts_message_and_a_hint()
    {
        var copy = CopyWithout(CliProcess.WebAppPath, ".runtimeconfig.json");
        File.WriteAllText(Path.ChangeExtension(copy, ".runtimeconfig.json"), RuntimeConfig(("Microsoft.NETCore.App", "10.0.0"), ("Microsoft.AspNetCore.App", "99.0.0")));

        var result = await CliProcess.RunAsync(["plans", "--assembly", copy]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("Microsoft.AspNetCore.App").And.Contain("99.0.0"), "the .NET host's own message");
        Assert.That(result.ErrorLines[^2], Does.StartWith($"error: premix could not run inside the application's runtime: 'dotnet exec --runtimeconfig {Path.ChangeExtension(copy, ".runtimeconfig.json")}' ended with exit code "));
        Assert.That(result.ErrorLines[^1], Does.StartWith("hint: the application runs on Microsoft.NETCore.App 10.0.0 and Microsoft.AspNetCore.App 99.0.0; `dotnet --list-runtimes` lists what is installed"));
    }

    [Test]
    public async Task An_app_whose_host_cannot_be_built_fails_saying_why_and_what_to_do()
    {
        var result = await CliProcess.RunAsync(["plans", "--assembly", CliProcess.WebAppPath], workingDirectory: _folder);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[0], Does.StartWith("error: The entry point of Premix.Tests.WebApp failed before it built its host: ConnectionStrings:Shop is not configured.")
            .And.EndWith("add an IPremixDesignTimeFactory class to the application, or pass --provider, --connection and --naming."));
        Assert.That(result.Output, Is.Empty);
    }

    [Test]
    public async Task An_app_whose_host_cannot_be_built_is_loaded_with_the_options_given_and_a_warning()
    {
        var result = await CliProcess.RunAsync(["plans", "--provider", "sqlite", "--naming", "snake-case", "--assembly", CliProcess.WebAppPath], workingDirectory: _folder);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.ErrorLines[0], Does.StartWith("warning: The entry point of Premix.Tests.WebApp failed before it built its host: ConnectionStrings:Shop is not configured."));
        Assert.That(result.ErrorLines[1], Is.EqualTo("warning: premix goes on with the options given and the ModelConfiguration classes of Premix.Tests.WebApp."));
        Assert.That(result.Output, Does.Contain("INSERT INTO \"web_customer\" (\"full_name\")"));
    }

    [Test]
    public async Task A_library_without_configuration_needs_the_options_and_says_where_it_looked()
    {
        var result = await CliProcess.RunAsync(["plans", "--assembly", CliProcess.ModelPath]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[0], Is.EqualTo(
            "error: No provider: pass --provider sqlite|postgresql|mysql or set PREMIX_PROVIDER. The application does not configure them either:"
            + " Premix.Tests.CliModel has no IPremixDesignTimeFactory class and builds no host. Add an IPremixDesignTimeFactory class or AddPremix in its host (docs/cli.md)."));
    }

    // The SDK writes this switch as false into the runtimeconfig.json of a PublishAot project's JIT builds; Premix then
    // requires a generated model, which premix itself is there to write.
    [Test]
    public async Task An_app_with_dynamic_code_off_is_run_with_a_temporary_copy_of_its_runtimeconfig_that_turns_it_on_and_is_deleted()
    {
        var app = CopyWithDynamicCodeOff(CliProcess.WebAppPath);
        var temp = Directory.CreateDirectory(Path.Combine(_folder, "tmp")).FullName;

        var result = await CliProcess.RunAsync(["plans", "--provider", "sqlite", "--naming", "snake-case", "--assembly", app], workingDirectory: _folder,
            environment: new Dictionary<string, string?> { ["TMPDIR"] = temp });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(result.Output, Does.Contain("INSERT INTO \"web_customer\" (\"full_name\")"), "plans compiled without a generated model");
            Assert.That(JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(app, ".runtimeconfig.json")))!["runtimeOptions"]!["configProperties"]![DynamicCodeSwitch]!.GetValue<bool>(),
                Is.False, "the application's own file is left as it was");
            Assert.That(Directory.GetFiles(temp, "*.runtimeconfig.json"), Is.Empty, "the copy is deleted");
        }
    }

    // The catalog reads of diff go through Dapper's run-time mappers, refused with dynamic code off: the tool has it on.
    [Test]
    public async Task Diff_of_an_app_with_dynamic_code_off_reads_the_sqlite_catalog_and_names_the_missing_tables()
    {
        var app = CopyWithDynamicCodeOff(CliProcess.WebAppPath);
        var database = Path.Combine(_folder, "shop.db");
        File.WriteAllBytes(database, []);

        var result = await CliProcess.RunAsync(["diff", "--assembly", app], workingDirectory: _folder,
            environment: new Dictionary<string, string?> { ["ConnectionStrings__Shop"] = $"Data Source={database}", ["Premix__Provider"] = "sqlite" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(result.Output, Does.Contain("create table web_customer").And.Contain("create table web_order"), result.ToString());
            Assert.That(result.Error, Is.Empty, "the application's own start ran and gave the options");
        }
    }

    // A copy of the application's build output whose runtimeconfig.json turns dynamic code off; returns the copy's .dll.
    private string CopyWithDynamicCodeOff(string assembly)
    {
        var app = CopyFolderOf(assembly);
        var appConfig = Path.ChangeExtension(app, ".runtimeconfig.json");
        var config = JsonNode.Parse(File.ReadAllText(appConfig))!;
        var options = config["runtimeOptions"]!.AsObject();
        if (options["configProperties"] is not JsonObject properties)
        {
            options["configProperties"] = properties = [];
        }

        properties[DynamicCodeSwitch] = false;
        File.WriteAllText(appConfig, config.ToJsonString());
        return app;
    }

    // The application's whole build output: its dependencies are loaded from its folder.
    private string CopyFolderOf(string assembly)
    {
        var source = Path.GetDirectoryName(assembly)!;
        var target = Path.Combine(_folder, "app");
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        return Path.Combine(target, Path.GetFileName(assembly));
    }

    // Copies the application's .dll and .deps.json (Premix and the drivers come from the tool) and the file with the
    // given extension only if it is not the one to leave out.
    private string CopyWithout(string assembly, string leftOut)
    {
        foreach (var extension in new[] { ".dll", ".deps.json", ".runtimeconfig.json" }.Where(e => e != leftOut))
        {
            var source = Path.ChangeExtension(assembly, extension);
            if (File.Exists(source))
            {
                File.Copy(source, Path.Combine(_folder, Path.GetFileName(source)));
            }
        }

        return Path.Combine(_folder, Path.GetFileName(assembly));
    }

    private static string RuntimeConfig(params (string Name, string Version)[] frameworks) =>
        "{ \"runtimeOptions\": { \"tfm\": \"net10.0\", \"frameworks\": ["
        + string.Join(", ", frameworks.Select(f => $"{{ \"name\": \"{f.Name}\", \"version\": \"{f.Version}\" }}"))
        + "] } }";
}
