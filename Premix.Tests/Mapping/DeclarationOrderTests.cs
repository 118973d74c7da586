using System.Reflection;
using Premix.Mapping;

namespace Premix.Tests.Mapping;

/// <summary>
/// Columns follow the order a class declares its properties in, on the JIT (metadata tokens) and under native AOT (no
/// tokens: the order reflection lists them in), so that a model <c>premix optimize</c> generated on the JIT matches the
/// one a native binary builds, also for an entity whose key lives in a base class.
/// </summary>
public sealed class DeclarationOrderTests
{
    [Test]
    public void Without_metadata_tokens_an_entity_with_a_base_class_gets_the_same_order_as_with_them()
    {
        var properties = typeof(DerivedRecord).GetProperties(BindingFlags.Public | BindingFlags.Instance);

        var withTokens = DeclarationOrder.Of(properties).Select(p => p.Name);
        var withoutTokens = DeclarationOrder.Of(properties, static _ => null).Select(p => p.Name);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(withTokens, Is.EqualTo(new[] { "Id", "CreatedAt", "Name", "Price" }));
            Assert.That(withoutTokens, Is.EqualTo(withTokens));
        }
    }

    [Test]
    public void Properties_sharing_a_metadata_token_keep_the_order_reflection_lists_them_in()
    {
        // Tokens tie when base types from other modules are involved; the order must not then depend on the sort.
        var tokens = new Dictionary<string, int?> { ["Name"] = 2, ["Price"] = 1, ["Id"] = 2, ["CreatedAt"] = 1 };
        var listed = new[] { "Name", "Price", "Id", "CreatedAt" }.Select(name => typeof(DerivedRecord).GetProperty(name)!);

        var ordered = DeclarationOrder.Of(listed, property => tokens[property.Name]).Select(p => p.Name);

        Assert.That(ordered, Is.EqualTo(new[] { "Price", "CreatedAt", "Name", "Id" }));
    }

    [Test]
    public void Every_listing_of_properties_with_tied_tokens_is_ordered_as_a_stable_sort_by_token_orders_it()
    {
        var tokens = new Dictionary<string, int?> { ["A"] = 3, ["B"] = 1, ["C"] = 3, ["D"] = 1, ["E"] = 2 };
        var properties = typeof(FiveColumns).GetProperties();
        var listings = Permutations(properties).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(listings, Has.Count.EqualTo(120));
            foreach (var listed in listings)
            {
                var expected = listed.OrderBy(property => tokens[property.Name]).Select(p => p.Name); // LINQ's sort is stable
                var ordered = DeclarationOrder.Of(listed, property => tokens[property.Name]).Select(p => p.Name);
                Assert.That(ordered, Is.EqualTo(expected), string.Join(", ", listed.Select(p => p.Name)));
            }
        }
    }

    private static IEnumerable<PropertyInfo[]> Permutations(PropertyInfo[] properties) =>
        properties.Length <= 1
            ? [properties]
            : properties.SelectMany((first, i) => Permutations([.. properties[..i], .. properties[(i + 1)..]]).Select(rest => (PropertyInfo[])[first, .. rest]));

    private class BaseRecord
    {
        public long Id { get; set; }

        public DateTime CreatedAt { get; set; }
    }

    private sealed class DerivedRecord : BaseRecord
    {
        public string Name { get; set; } = "";

        public decimal Price { get; set; }
    }

    private sealed class FiveColumns
    {
        public int A { get; set; }

        public int B { get; set; }

        public int C { get; set; }

        public int D { get; set; }

        public int E { get; set; }
    }
}
