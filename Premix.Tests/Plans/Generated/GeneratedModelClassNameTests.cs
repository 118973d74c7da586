using Microsoft.CodeAnalysis.CSharp;
using Premix.Generation;
using Premix.Plans;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// The model class's name (premix optimize's <c>--class</c>) against the names of the class's own members: C# forbids a
/// member named as its class (CS0542), so the generated members must not take a name a user would give the class (format 4
/// named its type table <c>Types</c>), and the two names they do take are refused before anything is generated.
/// Engine-independent: the generator needs a provider's dialect, never a connection.
/// </summary>
public sealed class GeneratedModelClassNameTests
{
    [Test]
    public void A_model_class_named_Types_compiles_and_its_Instance_is_the_model()
    {
        using var premix = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new CustomerMap()).AddModelConfiguration(new GadgetMap()));

        var files = ModelGenerator.Generate(premix, new ModelGeneratorOptions { Namespace = "Shop.Named", ModelClass = "Types" });
        var assembly = GeneratedModels.Load([.. files.Select(f => CSharpSyntaxTree.ParseText(f.Text, path: f.FileName))]);

        var model = (GeneratedModel)assembly.GetType("Shop.Named.Types", throwOnError: true)!.GetProperty("Instance")!.GetValue(null)!;
        Assert.That(model.Entities.Select(e => e.EntityType), Is.EqualTo(new[] { typeof(Customer), typeof(Gadget) }));
    }

    // Over the generator's own list, which its template writes: a member added there is refused without a new case here.
    [TestCaseSource(typeof(ModelGenerator), nameof(ModelGenerator.ModelMembers))]
    public void A_model_class_named_as_one_of_its_members_is_refused_naming_it(string name)
    {
        using var premix = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new CustomerMap()));

        var error = Assert.Throws<ArgumentException>(() => ModelGenerator.Generate(premix, new ModelGeneratorOptions { ModelClass = name }));

        Assert.That(error!.Message, Does.StartWith($"The model class cannot be named {name}, the name of one of its members: choose another name."));
    }

    [Test]
    public void The_model_class_members_are_the_ones_the_generated_class_declares()
    {
        using var premix = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new CustomerMap()));

        var files = ModelGenerator.Generate(premix, new ModelGeneratorOptions { Namespace = "Shop.Members" });
        var model = GeneratedModels.Load([.. files.Select(f => CSharpSyntaxTree.ParseText(f.Text, path: f.FileName))]).GetType("Shop.Members.PremixModel", throwOnError: true)!;

        var declared = model.GetMembers(System.Reflection.BindingFlags.DeclaredOnly | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)
            .Where(m => !m.Name.StartsWith('<') && !m.Name.StartsWith("get_", StringComparison.Ordinal) && m.Name != ".cctor")
            .Select(m => m.Name);
        Assert.That(declared, Is.EquivalentTo(ModelGenerator.ModelMembers));
    }

    [TestCase("Shop.event", "PremixModel")]
    [TestCase("Shop.Generated", "class")]
    public void A_reserved_keyword_as_namespace_part_or_model_class_is_refused_before_anything_is_generated(string @namespace, string modelClass)
    {
        using var premix = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new CustomerMap()));

        var error = Assert.Throws<ArgumentException>(() => ModelGenerator.Generate(premix, new ModelGeneratorOptions { Namespace = @namespace, ModelClass = modelClass }));

        Assert.That(error!.Message, Does.StartWith($"The namespace ({@namespace}) and the model class ({modelClass}) must be C# names: letters, digits and underscores, not starting with a digit, and no reserved keyword."));
    }
}
