using Premix.Providers.PostgreSql;

namespace Premix.Tests.Types;

/// <summary>
/// PostgreSQL-only: the start's refusal of composite types while dynamic code is off (native AOT, or a JIT build of a
/// PublishAot project). It names every composite-typed property at once, and it does not send the user to Owns or
/// StoredAsJson, which the generated model that dynamic code off requires refuses too. The model is built under the JIT
/// (no connection is opened); the refusal is what <c>UseModel</c> throws when the switch is off.
/// </summary>
public sealed class CompositeTypeDynamicCodeOffTests
{
    [Test]
    public void The_PostgreSql_refusal_names_every_composite_property_and_only_ways_that_run_with_dynamic_code_off()
    {
        using var premix = PremixFactory.Create(p => p.UsePostgreSql("Host=localhost;Database=unused").AddModelConfiguration(new ShipmentMap()).AddModelConfiguration(new VisitMap()));

        var refusal = PostgreSqlCompositeTypes.NotUnderNativeAot(premix.Model);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refusal?.Message, Does.Contain($"Stored as composite types: Shipment.To ({ShipmentMap.TypeName}), Shipment.From ({ShipmentMap.TypeName}), Visit.Slot ({VisitMap.TypeName})."));
            Assert.That(refusal?.Message, Does.Contain("RuntimeFeature.IsDynamicCodeSupported is false: a native AOT binary, or a JIT build of a project with PublishAot"));
            Assert.That(refusal?.Message, Does.Contain("Store their members as plain properties of the entity, or turn PublishAot off"));
            Assert.That(refusal?.Message, Does.Not.Contain("Owns").And.Not.Contain("StoredAsJson").And.Not.Contain("with the JIT"));
        }
    }

    [Test]
    public void A_PostgreSql_model_without_composite_types_is_not_refused()
    {
        using var premix = PremixFactory.Create(p => p.UsePostgreSql("Host=localhost;Database=unused").AddModelConfiguration(new LodgerMap()));

        Assert.That(PostgreSqlCompositeTypes.NotUnderNativeAot(premix.Model), Is.Null);
    }
}
