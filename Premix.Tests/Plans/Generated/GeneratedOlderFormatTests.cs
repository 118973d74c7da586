using Microsoft.CodeAnalysis.CSharp;
using Premix.Mapping;
using Premix.Plans;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// An application that committed a model premix optimize wrote in an older generated-code format (Format2Model, Format3Model:
/// two entities of the cold-start model, as the generator wrote them in that format) still builds against this Premix, without
/// a warning, so that its start fails saying which format it is in, and premix optimize can load the built application to
/// regenerate it.
/// </summary>
public sealed class GeneratedOlderFormatTests
{
    [TestCase(2)]
    [TestCase(3)]
    public void A_committed_model_of_an_older_format_compiles_and_fails_the_start_naming_its_format(int format)
    {
        var folder = Path.Combine(RepositoryFolder.Root(), "Premix.Tests", "Plans", "Generated", $"Format{format}Model");
        var files = Directory.GetFiles(folder, "*.cs").Order(StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f)).ToList();

        var model = (GeneratedModel)GeneratedModels.Load(files).GetType("Premix.ColdStart.Model.Generated.PremixModel", throwOnError: true)!
            .GetProperty("Instance")!.GetValue(null)!;
        var error = Assert.Throws<GeneratedModelMismatchException>(() => PremixFactory.Create(p =>
        {
            p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).UseNamingConvention(NamingConvention.SnakeCase).UseGeneratedModel(model);
            foreach (var map in ColdStartMaps.All())
            {
                p.AddModelConfiguration(map);
            }
        }));

        Assert.That(error.Differences, Is.EqualTo(new[]
        {
            $"It was written by premix optimize in generated-code format {format}, and this version of Premix reads format {GeneratedModel.CurrentFormat} (what generated code holds has changed: regenerate).",
        }));
    }
}
