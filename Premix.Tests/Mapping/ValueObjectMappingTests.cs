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

    [Test]
    public void A_value_object_declared_with_a_class_other_than_its_propertys_is_reported_naming_both()
    {
        // The members are read from the class Owns<T> names, which trimming keeps: it must be the property's own type.
        var error = Assert.Throws<MappingException>(() => new ModelBuilder().Add(new UpcastOwnerMap()).Build());

        Assert.That(error!.Problems.Select(p => p.ToString()), Is.EqualTo(new[]
        {
            "UpcastOwner.Price: is a value object (Owns) declared as Amount, but the property is of type TaxedAmount. Fix: Write Owns(x => x.Price) without a type argument, or Owns<TaxedAmount>(...).",
        }));
    }

    [Test]
    public void Nested_value_object_members_are_named_by_their_path_with_columns_prefixed_by_both_properties()
    {
        var snake = new ModelBuilder().UseNamingConvention(NamingConvention.SnakeCase).Add(new Types.TenantMap()).Build().Get(typeof(Types.Tenant));
        var written = new ModelBuilder().Add(new Types.TenantMap()).Build().Get(typeof(Types.Tenant));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(snake.Properties.Select(p => (p.Name, p.Column, p.ColumnAllowsNull)), Is.EqualTo(new[]
            {
                ("Id", "id", false),
                ("Name", "name", false),
                ("Home.Street", "home_street", false),
                ("Home.Geo.Lat", "home_geo_lat", true),
                ("Home.Geo.Lng", "home_geo_lng", true),
                ("Home.Entrance.Code", "home_entrance_code", true),
                ("Office.Name", "office_name", true),
                ("Office.Geo.Lat", "office_geo_lat", true),
                ("Office.Geo.Lng", "office_geo_lng", true),
            }), "an optional nested object allows NULL, and so does a required one inside an optional one");
            Assert.That(written.FindProperty("Office.Geo.Lng")!.Column, Is.EqualTo("Office_Geo_Lng"));
            Assert.That(snake.FindProperty("Home.Geo.Lat")!.Precision, Is.EqualTo(9), "the nested builder's configuration");
            Assert.That(snake.FindProperty("Home.Geo.Lat")!.Owner!.Parent!.Name, Is.EqualTo("Home"));
            Assert.That(snake.FindProperty("Office.Geo.Lat")!.Owner!.Name, Is.EqualTo("Office.Geo"));
        }
    }

    [Test]
    public void Every_bad_nested_value_object_is_reported_in_one_MappingException()
    {
        var error = Assert.Throws<MappingException>(() => new ModelBuilder().UseNamingConvention(NamingConvention.SnakeCase).Add(new NestingMap()).Build());

        Assert.That(error!.Problems.Select(p => p.ToString()), Is.EquivalentTo(new[]
        {
            "Nesting.Chain.Next: is a value object (Owns) of type Link inside Chain, a value object of the same type: the columns of such a cycle never end. Fix: Store Chain.Next as a document with StoredAsJson(), as rows of an entity of their own, or leave it out with Ignore(v => v.Next).",
            "Nesting.Broken.Nothing: is a value object (Owns), but Blank has no members to store: no public property with a setter or a constructor parameter. Fix: Give Blank such properties, or leave Broken.Nothing out with Ignore(...).",
            "Nesting.Broken.Fixed: is a value object (Owns) that Premix cannot put into Broken: it has no setter and no constructor parameter. Fix: Give Broken.Fixed a setter (init is enough) or take it in a constructor parameter of the same name.",
            "Nesting.Holder.PointLat: shares column 'holder_point_lat' with another property (Holder.PointLat and Holder.Point.Lat). Fix: Give each property its own column with HasColumnName(...), or Ignore one of them.",
            "Nesting.Loose.Point: has type Spot, which no provider can store in a column. Fix: Declare it a value object inside its value object with Owns(v => v.Point) in that Owns(...)'s builder, store it as a document with StoredAsJson(), or leave it out with Ignore(x => x.Point).",
        }));
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

    public sealed class Link
    {
        public string Label { get; set; } = "";

        public Link? Next { get; set; }
    }

    public sealed class Blank
    {
        public int Computed => 1;
    }

    public sealed record Spot(decimal Lat, decimal Lng);

    public sealed class Holder
    {
        public decimal PointLat { get; set; }

        public Spot? Point { get; set; }
    }

    public sealed class Broken
    {
        public string Name { get; set; } = "";

        public Blank? Nothing { get; set; }

        public Spot Fixed { get; } = new(0m, 0m);
    }

    public sealed class LooseHolder
    {
        public string Name { get; set; } = "";

        public Spot? Point { get; set; }
    }

    public sealed class Nesting
    {
        public long Id { get; set; }

        public Link Chain { get; set; } = new();

        public Holder Holder { get; set; } = new();

        public Broken Broken { get; set; } = new();

        public LooseHolder? Loose { get; set; }
    }

    public class Amount
    {
        public decimal Value { get; set; }
    }

    public sealed class TaxedAmount : Amount
    {
        public decimal Tax { get; set; }
    }

    public sealed class UpcastOwner
    {
        public long Id { get; set; }

        public TaxedAmount? Price { get; set; }
    }

    private sealed class UpcastOwnerMap : ModelConfiguration<UpcastOwner>
    {
        public override void Configure(EntityBuilder<UpcastOwner> e) => e.Owns<Amount>(x => x.Price);
    }

    private sealed class NestingMap : ModelConfiguration<Nesting>
    {
        public override void Configure(EntityBuilder<Nesting> e)
        {
            e.Owns(n => n.Chain, c => c.Owns(l => l.Next));
            e.Owns(n => n.Holder, h => h.Owns(v => v.Point));
            e.Owns(n => n.Broken, b => b.Owns(v => v.Nothing).Owns(v => v.Fixed));
            e.Owns(n => n.Loose);
        }
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
