namespace Premix.Tests.Cli;

/// <summary>
/// The tool refuses an application assembly in which it finds no mapping class (a wrong or trimmed .dll) instead of
/// comparing the database with an empty model. Commands that need no model (migrate, scaffold) start without one: the
/// migrate and scaffold tests run them so.
/// </summary>
public sealed class CliEmptyModelTests
{
    [Test]
    public async Task An_assembly_without_mapping_classes_fails_naming_it_with_exit_code_1()
    {
        var assembly = typeof(Assert).Assembly;

        var result = await CliProcess.RunAsync(["plans", "--provider", "sqlite", "--assembly", assembly.Location]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain($"No entity is mapped: AddModelConfigurationsFrom scanned {assembly.GetName().Name} and found no ModelConfiguration<T> class"));
        Assert.That(result.Output, Is.Empty);
    }
}
