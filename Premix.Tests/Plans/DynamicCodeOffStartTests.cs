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
        var (exitCode, output, _) = await RunWebAppWithDynamicCodeOffAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Not.Zero, output);
            Assert.That(output, Does.Contain("Premix starts without a generated model, and dynamic code is off (RuntimeFeature.IsDynamicCodeSupported is false: "
                + "a native AOT binary, or a JIT build of a project with PublishAot): the plans of WebCustomer, WebOrder would be compiled from expression trees"));
            Assert.That(output, Does.Contain("Run premix optimize and register its model with UseGeneratedModel(...), or turn PublishAot off"));
            Assert.That(output, Does.Not.Contain("runs under native AOT").And.Not.Contain("with the JIT"));
        }
    }

    [Test]
    public async Task A_JIT_start_with_dynamic_code_off_refuses_a_strongly_typed_id_by_convention_and_a_value_object_naming_the_switch_and_the_ways_out()
    {
        var (exitCode, output, database) = await RunWebAppWithDynamicCodeOffAsync("--Premix:DynamicCodeOffModel=convention");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Not.Zero, output);
            Assert.That(output, Does.Contain("WebLedger.Account: has type WebAccountId, a strongly typed id, which is converted by convention only while dynamic code is on, "
                + "and dynamic code is off (RuntimeFeature.IsDynamicCodeSupported is false: a native AOT binary, or a JIT build of a project with PublishAot)."));
            Assert.That(output, Does.Contain("Register its converter where Premix is configured with Convert(ValueConverters.StronglyTypedId<WebAccountId, long>()), which makes nothing at run time, or turn PublishAot off"));
            Assert.That(output, Does.Contain("WebLedger.Balance: is a value object (Owns), whose value-type members are read as nullable types, which only a generated model names while dynamic code is off"));
            Assert.That(output, Does.Contain("Run premix optimize and register its model with UseGeneratedModel(...), map its members as properties of WebLedger, or turn PublishAot off"));
            // One exception (pillar 3): the missing generated model first, as the way out, then the mapping problems.
            Assert.That(output, Does.Contain("System.NotSupportedException: Premix starts without a generated model, and dynamic code is off"));
            Assert.That(output.IndexOf("Premix starts without a generated model", StringComparison.Ordinal), Is.LessThan(output.IndexOf("WebLedger.Account: has type WebAccountId", StringComparison.Ordinal)), "the missing generated model first");
            Assert.That(File.Exists(database), Is.False, "the start failed before a connection was opened, so nothing was written");
        }
    }

    [Test]
    public async Task A_JIT_start_with_dynamic_code_off_accepts_a_strongly_typed_id_whose_converter_is_registered()
    {
        var (exitCode, output, database) = await RunWebAppWithDynamicCodeOffAsync("--Premix:DynamicCodeOffModel=registered");

        using (Assert.EnterMultipleScope())
        {
            // The model is built; the start then stops at the plans, which need a generated model with dynamic code off.
            Assert.That(exitCode, Is.Not.Zero, output);
            Assert.That(output, Does.Contain("Premix starts without a generated model, and dynamic code is off"));
            Assert.That(output, Does.Contain("WebLedger"));
            Assert.That(output, Does.Not.Contain("strongly typed id").And.Not.Contain("MappingException"));
            Assert.That(File.Exists(database), Is.False, "the start failed before a connection was opened, so nothing was written");
        }
    }

    // The SQLite file the app is given: SQLite creates it when a connection opens, so its absence shows nothing was written.
    private static async Task<(int ExitCode, string Output, string Database)> RunWebAppWithDynamicCodeOffAsync(params string[] arguments)
    {
        var database = Path.Combine(Path.GetTempPath(), $"premix-dynamic-off-{Guid.NewGuid():N}.db");
        var app = CliProcess.WebAppPath;
        var runtimeConfig = await ChildProcess.WriteRuntimeConfigWithDynamicCodeOffAsync(app);
        try
        {
            string[] all =
            [
                "exec", "--runtimeconfig", runtimeConfig, app, "--urls=http://127.0.0.1:0",
                $"--ConnectionStrings:Shop=Data Source={database}",
                .. arguments,
            ];
            var result = await ChildProcess.RunToExitAsync(
                ChildProcess.StartInfo(ChildProcess.DotnetHost, all, Path.GetDirectoryName(app)),
                Timeout,
                "The app, whose start should have failed,");
            return (result.ExitCode, result.Everything, database);
        }
        finally
        {
            File.Delete(runtimeConfig);
        }
    }
}
