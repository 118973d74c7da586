using Premix.Tests.Cli;

namespace Premix.Tests.Aot;

/// <summary>
/// The native AOT sample's publish (samples/Premix.AotSample, <c>PublishAot</c>): no trim or AOT warning comes from
/// Premix's libraries, and the generated models it registers are what <c>premix optimize</c> writes today. Every
/// warning count, by assembly and code, the binary's size and the publish time are printed.
/// </summary>
[TestFixture]
public sealed class NativeAotPublishTests
{
    [Test]
    public async Task Publishing_the_sample_with_native_AOT_prints_no_trim_or_AOT_warning_about_Premix_code()
    {
        var published = await NativeAotPublish.GetAsync();
        TestContext.Out.WriteLine($"Published in {published.Duration.TotalSeconds:0} s; {Path.GetFileName(published.Binary)} is {new FileInfo(published.Binary).Length / 1024.0 / 1024.0:0.0} MiB.");
        TestContext.Out.WriteLine($"{published.Warnings.Count} distinct trim/AOT warning(s):{Environment.NewLine}{published.Summary()}");

        Assert.That(published.Warnings.Where(w => w.Owner == "Premix").Select(w => $"{w.Code}: {w.Text}"), Is.Empty);
    }

    [TestCase("sqlite", "Sqlite")]
    [TestCase("postgresql", "PostgreSql")]
    public async Task The_generated_model_the_sample_registers_is_what_premix_optimize_writes_now(string provider, string folder)
    {
        var result = await CliProcess.RunAsync(
        [
            "optimize", "--check", "--provider", provider, "--assembly", CliProcess.AotSamplePath,
            "--output", Path.Combine(NativeAotPublish.Project, "Generated", folder), "--namespace", $"{NativeAotPublish.Application}.Generated.{folder}",
        ]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
    }
}
