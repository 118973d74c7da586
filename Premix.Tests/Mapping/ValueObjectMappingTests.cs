using Premix.Mapping;

namespace Premix.Tests.Mapping;

/// <summary>Value objects in the model: their members' columns and names, and every bad value object reported at startup at once.</summary>
public sealed class ValueObjectMappingTests
{
    [Test]
    public void Members_become_prefixed_columns_that_allow_null_when_the_value_object_is_optional()
    {
        var entity = new ModelBuilder().UseNamingConvention(NamingConvention.SnakeCase).Add(new ShipmentMap()).Build().Get(typeof(Shipment));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entity.Properties.Select(p => (p.Name, p.Column, p.ColumnAllowsNull)), Is.EqualTo(new[]
            {
                ("Id", "id", false),
                ("Weight.Value", "weight_value", false),
                ("Weight.Unit", "weight_unit", false),
                ("Insured.Value", "insured_value", true),
                ("Insured.Unit", "insured_unit", true),
            }));
            Assert.That(entity.FindProperty("Weight.Value")!.Precision, Is.EqualTo(10), "a member's own configuration");
            Assert.That(entity.FindProperty("Weight.Value")!.Owner!.Constructor.GetParameters(), Has.Length.EqualTo(2), "a positional record is made through its constructor");
        }
    }

    [Test]
    public void Every_bad_value_object_is_reported_in_one_MappingException()
    {
        var error = Assert.Throws<MappingException>(() => new ModelBuilder().Add(new BadOwnerMap()).Add(new PartMap()).Build());

        var problems = error!.Problems.Select(p => p.ToString()).ToList();
        Assert.That(problems.Where(p => !p.StartsWith("BadOwner.Tags.Values: has type List<String>, which no provider can store in a column.", StringComparison.Ordinal)), Is.EquivalentTo(new[]
        {
            "BadOwner.Part: is a value object (Owns), but Part is an entity with a mapping of its own: a value object has no table and no key. Fix: Remove the mapping class of Part to store it in BadOwner's table, or declare a relation (HasOne or BelongsTo) instead of Owns.",
            "BadOwner.Sealed: is a value object (Owns) of type Sealed, which has no public constructor Premix can call: one without parameters, or one whose parameters are named and typed like its properties. Fix: Add such a constructor to Sealed (a positional record has one).",
            "BadOwner.First.Amount: shares column 'Clash' with another property (First.Amount and Second.Amount). Fix: Give each property its own column with HasColumnName(...), or Ignore one of them.",
        }));
        Assert.That(problems, Has.Count.EqualTo(4), "and the member of a type no column stores");
    }

    public sealed record Measure(decimal Value, string Unit);

    public sealed class Shipment
    {
        public long Id { get; set; }

        public Measure Weight { get; set; } = new(0m, "kg");

        public Measure? Insured { get; set; }
    }

    public sealed class Part
    {
        public long Id { get; set; }
    }

    public sealed class Tags
    {
        public List<string> Values { get; set; } = [];
    }

    public sealed class Sealed(int code)
    {
        public int Number { get; } = code;
    }

    public sealed record Price(decimal Amount);

    public sealed class BadOwner
    {
        public long Id { get; set; }

        public Part? Part { get; set; }

        public Tags? Tags { get; set; }

        public Sealed? Sealed { get; set; }

        public Price? First { get; set; }

        public Price? Second { get; set; }
    }

    private sealed class ShipmentMap : ModelConfiguration<Shipment>
    {
        public override void Configure(EntityBuilder<Shipment> e)
        {
            e.Owns(s => s.Weight, m => m.Property(v => v.Value).HasPrecision(10, 3));
            e.Owns(s => s.Insured);
        }
    }

    private sealed class BadOwnerMap : ModelConfiguration<BadOwner>
    {
        public override void Configure(EntityBuilder<BadOwner> e)
        {
            e.Owns(b => b.Part);
            e.Owns(b => b.Tags);
            e.Owns(b => b.Sealed);
            e.Owns(b => b.First, m => m.Property(v => v.Amount).HasColumnName("Clash"));
            e.Owns(b => b.Second, m => m.Property(v => v.Amount).HasColumnName("Clash"));
        }
    }

    private sealed class PartMap : ModelConfiguration<Part>
    {
        public override void Configure(EntityBuilder<Part> e)
        {
        }
    }
}
