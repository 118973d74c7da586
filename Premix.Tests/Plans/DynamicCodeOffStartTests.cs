using System.Text.Json.Nodes;
using Premix.Tests.Cli;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans;

/// <summary>
/// A start with dynamic code off, without a native publish: the JIT build of a small ASP.NET Core app (Premix.Tests.WebApp,
/// no generated model) run with a copy of its runtimeconfig.json whose IsDynamicCodeSupported switch is false, as the SDK
/// writes it for the JIT builds of a PublishAot project (dotnet run, F5). The refusal must say what was detected and how
/// to get either way out, not that the app runs natively nor that it should "run with the JIT" (it already does).
/// Startup fails before any connection is opened, so nothing can be written.
/// </summary>
public sealed class DynamicCodeOffStartTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Test]
    public async Task A_JIT_start_with_dynamic_code_off_and_no_generated_model_is_refused_naming_the_switch_PublishAot_and_the_entities()
    {
        var (exitCode, output) = await RunWebAppWithDynamicCodeOffAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Not.Zero, output);
            Assert.That(output, Does.Contain("Premix starts without a generated model, and dynamic code is off (RuntimeFeature.IsDynamicCodeSupported is false: "
                + "a native AOT binary, or a JIT build of a project with PublishAot): the plans of WebCustomer, WebOrder would be compiled from expression trees"));
            Assert.That(output, Does.Contain("Run premix optimize and register its model with UseGeneratedModel(...), or turn PublishAot off"));
            Assert.That(output, Does.Not.Contain("runs under native AOT").And.Not.Contain("with the JIT"));
        }
    }

    private static async Task<(int ExitCode, string Output)> RunWebAppWithDynamicCodeOffAsync()
    {
        var app = CliProcess.WebAppPath;
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(app, ".runtimeconfig.json")))!;
        var options = config["runtimeOptions"]!.AsObject();
        if (options["configProperties"] is not JsonObject properties)
        {
            options["configProperties"] = properties = [];
        }

        properties["System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported"] = false;
        var runtimeConfig = Path.Combine(Path.GetTempPath(), $"premix-dynamic-off-{Guid.NewGuid():N}.runtimeconfig.json");
        await File.WriteAllTextAsync(runtimeConfig, config.ToJsonString());
        try
        {
            string[] arguments =
            [
                "exec", "--runtimeconfig", runtimeConfig, app, "--urls=http://127.0.0.1:0",
                $"--ConnectionStrings:Shop=Data Source={Path.Combine(Path.GetTempPath(), $"premix-dynamic-off-{Guid.NewGuid():N}.db")}",
            ];
            var result = await ChildProcess.RunToExitAsync(
                ChildProcess.StartInfo(ChildProcess.DotnetHost, arguments, Path.GetDirectoryName(app)),
                Timeout,
                "The app, whose start should have failed,");
            return (result.ExitCode, result.Everything);
        }
        finally
        {
            File.Delete(runtimeConfig);
        }
    }
}
