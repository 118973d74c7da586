using Premix.Mapping;

namespace Premix.Tests.Mapping;

/// <summary>A bad mapping fails at startup with one exception that lists every problem, naming entity, property and fix.</summary>
public sealed class MappingValidationTests
{
    [Test]
    public void Every_problem_of_every_entity_is_reported_at_once()
    {
        var builder = new ModelBuilder().Add(new NoKeyMap()).Add(new BadTypesMap()).Add(new ParentMap()).Add(new ChildWithWrongKeyTypeMap());

        var error = Assert.Throws<MappingException>(() => builder.Build());

        Assert.That(error!.Problems.Select(p => $"{p.Entity}.{p.Property}"), Is.EquivalentTo(new[]
        {
            "NoKey.",                  // missing key
            "BadTypes.Tags",           // a type no provider maps
            "BadTypes.Title",          // two properties on one column
            "BadTypes.Code",           // a generated key that is not an integer
            "Parent.Children",         // foreign key type differs from the key type, reported once though both sides declare it
        }));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Message, Does.StartWith("The Premix model has 5 mapping problems:"));
            Assert.That(error.Message, Does.Contain("NoKey: has no key. Fix: Declare one with e.HasKey(x => x.Id)"));
            Assert.That(error.Message, Does.Contain("BadTypes.Tags: has type Dictionary<String, Int32>, which no provider can store in a column."));
            Assert.That(error.Message, Does.Contain("shares column 'title'"));
            Assert.That(error.Message, Does.Contain("is a generated key of type String").And.Contain("IsClientAssigned()"));
            Assert.That(error.Message, Does.Contain("foreign key Child.ParentId of type Int32, but the key Parent.Id is Int64").And.Contain("Change Child.ParentId to Int64"));
        }
    }

    [Test]
    public void A_relation_to_an_unmapped_entity_is_reported_with_the_missing_configuration()
    {
        var error = Assert.Throws<MappingException>(() => new ModelBuilder().Add(new ChildWithWrongKeyTypeMap()).Build());

        Assert.That(error!.Problems.Single().ToString(), Is.EqualTo("Child: relates to Parent, which is not mapped. Fix: Add a ModelConfiguration<Parent>."));
    }

    [Test]
    public void A_configuration_call_that_names_no_property_is_reported_not_thrown_alone()
    {
        var error = Assert.Throws<MappingException>(() => new ModelBuilder().Add(new NotAPropertyMap()).Add(new NoKeyMap()).Build());

        Assert.That(error!.Problems, Has.Count.EqualTo(2));
        Assert.That(error.Problems[0].Problem, Does.Contain("must name a property of Parent"));
    }

    [Test]
    public void Conventions_fill_key_generation_requiredness_and_snake_case_names()
    {
        var model = new ModelBuilder().UseNamingConvention(NamingConvention.SnakeCase).Add(new ConventionalMap()).Build();
        var entity = model.Get(typeof(ConventionalThing));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entity.Table, Is.EqualTo("conventional_thing"));
            Assert.That(entity.Key.Single().Name, Is.EqualTo("Id"));
            Assert.That(entity.GeneratedKey, Is.SameAs(entity.Key[0]), "a single integer key is generated");
            Assert.That(entity.FindProperty("HTMLTitle")!.Column, Is.EqualTo("html_title"));
            Assert.That(entity.FindProperty("HTMLTitle")!.IsRequired, Is.True, "non-nullable string is required");
            Assert.That(entity.FindProperty("Note")!.IsRequired, Is.False, "string? is optional");
            Assert.That(entity.FindProperty("Count")!.IsRequired, Is.True);
            Assert.That(entity.FindProperty("Maybe")!.IsRequired, Is.False);
            Assert.That(entity.FindProperty("Computed"), Is.Null, "a get-only property is not a column");
            Assert.That(entity.FindProperty("Status")!.EnumStorage, Is.EqualTo(EnumStorage.Number));
        }
    }

    [Test]
    public void Guid_keys_are_client_assigned_by_convention()
    {
        var model = new ModelBuilder().Add(new GuidMap()).Build();

        Assert.That(model.Get(typeof(GuidThing)).GeneratedKey, Is.Null);
    }

    [Test]
    public void Composite_keys_are_allowed_and_client_assigned()
    {
        var model = new ModelBuilder().Add(new CompositeMap()).Build();
        var entity = model.Get(typeof(CompositeThing));

        Assert.That(entity.Key.Select(k => k.Name), Is.EqualTo(new[] { "OrderId", "LineNo" }));
        Assert.That(entity.GeneratedKey, Is.Null);
    }

    [Test]
    public void An_unmapped_type_is_named_with_the_fix()
    {
        var model = new ModelBuilder().Add(new GuidMap()).Build();

        var error = Assert.Throws<InvalidOperationException>(() => model.Get(typeof(Parent)));

        Assert.That(error!.Message, Does.Contain("Parent is not mapped. Add a ModelConfiguration<Parent>"));
    }

    [Test]
    public void Rounding_on_a_property_that_is_not_a_decimal_is_a_mapping_problem_and_on_a_decimal_part_of_the_model()
    {
        var error = Assert.Throws<MappingException>(() => new ModelBuilder().Add(new RoundedMap(onDouble: true)).Build());
        var model = new ModelBuilder().Add(new RoundedMap(onDouble: false)).Build();

        Assert.That(error!.Problems.Single().ToString(), Is.EqualTo("Rounded.Ratio: has Rounding but is a Double. Fix: Use Rounding only on decimal properties."));
        Assert.That(model.Get(typeof(Rounded)).Properties.Single(p => p.Name == nameof(Rounded.Price)).Rounding, Is.EqualTo(MidpointRounding.AwayFromZero));
    }

    public sealed class Rounded
    {
        public long Id { get; set; }

        public decimal Price { get; set; }

        public double Ratio { get; set; }
    }

    public sealed class NoKey
    {
        public string Name { get; set; } = "";
    }

    public sealed class BadTypes
    {
        public string Code { get; set; } = "";

        public Dictionary<string, int> Tags { get; set; } = [];

        public string Title { get; set; } = "";

        public string Heading { get; set; } = "";
    }

    public sealed class Parent
    {
        public long Id { get; set; }

        public List<Child> Children { get; set; } = [];
    }

    public sealed class Child
    {
        public long Id { get; set; }

        public int ParentId { get; set; }
    }

    public sealed class ConventionalThing
    {
        public int Id { get; set; }

        public string HTMLTitle { get; set; } = "";

        public string? Note { get; set; }

        public int Count { get; set; }

        public int? Maybe { get; set; }

        public DayOfWeek Status { get; set; }

        public string Computed => HTMLTitle + Note;
    }

    public sealed class GuidThing
    {
        public Guid Id { get; set; }
    }

    public sealed class CompositeThing
    {
        public long OrderId { get; set; }

        public int LineNo { get; set; }
    }

    private sealed class NoKeyMap : ModelConfiguration<NoKey>
    {
        public override void Configure(EntityBuilder<NoKey> e) => e.ToTable("no_key");
    }

    private sealed class BadTypesMap : ModelConfiguration<BadTypes>
    {
        public override void Configure(EntityBuilder<BadTypes> e)
        {
            e.HasKey(x => x.Code).IsGenerated();
            e.Property(x => x.Title).HasColumnName("title");
            e.Property(x => x.Heading).HasColumnName("TITLE");
        }
    }

    private sealed class ParentMap : ModelConfiguration<Parent>
    {
        public override void Configure(EntityBuilder<Parent> e) => e.HasMany(p => p.Children).WithForeignKey(c => c.ParentId);
    }

    private sealed class ChildWithWrongKeyTypeMap : ModelConfiguration<Child>
    {
        public override void Configure(EntityBuilder<Child> e) => e.BelongsTo<Parent>().WithForeignKey(c => c.ParentId);
    }

    private sealed class NotAPropertyMap : ModelConfiguration<Parent>
    {
        public override void Configure(EntityBuilder<Parent> e) => e.Property(p => p.Id.ToString());
    }

    private sealed class ConventionalMap : ModelConfiguration<ConventionalThing>
    {
        public override void Configure(EntityBuilder<ConventionalThing> e)
        {
        }
    }

    private sealed class GuidMap : ModelConfiguration<GuidThing>
    {
        public override void Configure(EntityBuilder<GuidThing> e)
        {
        }
    }

    private sealed class RoundedMap(bool onDouble) : ModelConfiguration<Rounded>
    {
        public override void Configure(EntityBuilder<Rounded> e)
        {
            e.Property(x => x.Price).Rounding(MidpointRounding.AwayFromZero);
            if (onDouble)
            {
                e.Property(x => x.Ratio).Rounding(MidpointRounding.ToEven);
            }
        }
    }

    private sealed class CompositeMap : ModelConfiguration<CompositeThing>
    {
        public override void Configure(EntityBuilder<CompositeThing> e) => e.HasKey(x => new { x.OrderId, x.LineNo });
    }
}
