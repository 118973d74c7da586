using Premix.Mapping;
using Premix.Plans;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// A generated model that no longer describes the mapping fails the start with one message listing every difference
/// (issue 19 item 2, pillar 3: never silently wrong). Startup opens no connection, so nothing can be written.
/// </summary>
public sealed class GeneratedModelMismatchTests
{
    private static GeneratedModel _shop = null!;

    [OneTimeSetUp]
    public static void GenerateTheShop()
    {
        using var premix = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new CustomerMap()));
        _shop = GeneratedModels.Compile(premix, "Mismatch");
    }

    [Test]
    public void A_renamed_column_and_an_entity_added_since_generation_fail_the_start_listing_both()
    {
        var error = Assert.Throws<GeneratedModelMismatchException>(() => PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite))
            .AddModelConfiguration(new RenamedCustomerMap()).AddModelConfiguration(new GadgetMap()).UseGeneratedModel(_shop)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Differences, Is.EquivalentTo(new[]
            {
                "Customer.Name is mapped to column full_name; the generated model has Name.",
                "Gadget is mapped (table gadgets) but is not in the generated model.",
            }));
            Assert.That(error.Message, Does.StartWith("The generated model does not match the mapping (2 differences); run premix optimize again"));
            Assert.That(error.Message, Does.Contain("Customer.Name is mapped to column full_name").And.Contain("Gadget is mapped"));
        }
    }

    [Test]
    public void An_entity_no_longer_mapped_and_another_engine_fail_the_start_listing_both()
    {
        var error = Assert.Throws<GeneratedModelMismatchException>(() => PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.PostgreSql))
            .AddModelConfiguration(new GadgetMap()).UseGeneratedModel(_shop)));

        Assert.That(error.Differences, Is.EquivalentTo(new[]
        {
            "It was generated for sqlite, and this application runs on postgresql: its statements and row readers are another engine's.",
            "Gadget is mapped (table gadgets) but is not in the generated model.",
            "Customer is in the generated model (table customers) but is no longer mapped.",
        }));
    }

    [Test]
    public void A_statement_changed_by_the_mapping_fails_the_start_naming_the_entity_and_the_statement()
    {
        // Same properties and columns, but Visits is now the version column: the update and delete match it too.
        var error = Assert.Throws<GeneratedModelMismatchException>(() => PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite))
            .AddModelConfiguration(new VersionedCustomerMap()).UseGeneratedModel(_shop)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Differences, Has.Some.StartsWith("Customer: its Update statement is now \"UPDATE \"customers\" SET"));
            Assert.That(error.Differences, Has.Some.StartsWith("Customer: its Delete statement is now \"DELETE FROM \"customers\" WHERE \"Id\" = @Id AND \"Visits\" = @Visits\""));
        }
    }

    [Test]
    public void The_same_mapping_starts_on_the_generated_model()
    {
        using var premix = PremixFactory.Create(p => p.UseProvider(GeneratedPlansTests.ProviderFor(Engine.Sqlite)).AddModelConfiguration(new CustomerMap()).UseGeneratedModel(_shop));

        Assert.That(premix.Model.Entities.Select(e => e.Name), Is.EqualTo(new[] { "Customer" }));
    }

    public sealed class RenamedCustomerMap : ModelConfiguration<Customer>
    {
        public override void Configure(EntityBuilder<Customer> e)
        {
            e.ToTable("customers");
            e.HasKey(c => c.Id);
            e.Property(c => c.Name).HasColumnName("full_name").HasMaxLength(20);
            e.Property(c => c.Email).HasMaxLength(100).Sensitive();
        }
    }

    public sealed class VersionedCustomerMap : ModelConfiguration<Customer>
    {
        public override void Configure(EntityBuilder<Customer> e)
        {
            e.ToTable("customers");
            e.HasKey(c => c.Id);
            e.Property(c => c.Name).HasMaxLength(20);
            e.Property(c => c.Email).HasMaxLength(100).Sensitive();
            e.Version(c => c.Visits);
        }
    }
}
