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
}
