using Premix.Generation;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// The cold-start benchmark's generated model (Premix.Benchmarks.ColdStart/Model/Generated, which its premix-generated
/// contender registers) is what premix optimize writes for the 100-entity model now, as Model/optimize-premix.sh --check
/// would say: a change to the model, or to what the generator writes, fails here until the script is run again.
/// </summary>
public sealed class ColdStartGeneratedModelTests
{
    private const string Namespace = "Premix.ColdStart.Model.Generated";

    [Test]
    public void The_committed_generated_model_of_the_cold_start_benchmark_is_up_to_date()
    {
        using var premix = PremixFactory.Create(p =>
        {
            p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).UseNamingConvention(NamingConvention.SnakeCase);
            foreach (var map in ColdStartMaps.All())
            {
                p.AddModelConfiguration(map);
            }
        });
        var folder = Path.Combine(RepositoryFolder.Root(), "Premix.Benchmarks.ColdStart", "Model", "Generated");

        var files = ModelGenerator.Generate(premix, new ModelGeneratorOptions { Namespace = Namespace });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Directory.GetFiles(folder, "*.cs").Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(files.Select(f => f.FileName).Order(StringComparer.Ordinal)), "the files (run Model/optimize-premix.sh)");
            foreach (var file in files.Where(f => File.Exists(Path.Combine(folder, f.FileName))))
            {
                Assert.That(File.ReadAllText(Path.Combine(folder, file.FileName)).ReplaceLineEndings("\n"), Is.EqualTo(file.Text), $"{file.FileName} (run Model/optimize-premix.sh)");
            }
        }
    }
}
