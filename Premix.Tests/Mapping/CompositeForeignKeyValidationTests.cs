using Premix.Mapping;

namespace Premix.Tests.Mapping;

/// <summary>A composite foreign key is checked at startup against the principal's key: as many properties, of the key's types, in its order.</summary>
public sealed class CompositeForeignKeyValidationTests
{
    [Test]
    public void Every_part_of_a_composite_foreign_key_of_the_wrong_type_is_named_in_one_problem()
    {
        var error = Assert.Throws<MappingException>(() => new ModelBuilder().Add(new BinMap()).Add(new SwappedSlotMap()).Build());

        var problem = error!.Problems.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem.Entity, Is.EqualTo("Slot"));
            Assert.That(problem.ToString(), Does.Contain("has foreign key Slot.Row of type String, but the key Bin.Aisle is Int32; has foreign key Slot.Aisle of type Int32, but the key Bin.Row is String."));
            Assert.That(problem.ToString(), Does.Contain("Fix: Change Slot.Row to Int32 (or Int32? for an optional relation); Change Slot.Aisle to String"));
        }
    }

    [Test]
    public void A_foreign_key_with_fewer_properties_than_the_composite_key_is_reported_with_the_properties_to_name()
    {
        var error = Assert.Throws<MappingException>(() => new ModelBuilder().Add(new BinMap()).Add(new HalfSlotMap()).Build());

        Assert.That(error!.Problems.Single().ToString(), Is.EqualTo(
            "Slot: has a foreign key of 1 property (Slot.Aisle), but the key of Bin has 2 (Bin.(Aisle, Row)). "
            + "Fix: Name one property of Slot per part of Bin's key, in the order of its HasKey: WithForeignKey(x => new { x.Aisle, x.Row }) with properties of Slot of the key's types."));
    }

    [Test]
    public void A_composite_foreign_key_of_the_key_types_builds_one_constraint_pairing_each_part_with_the_key()
    {
        var model = new ModelBuilder().Add(new BinMap()).Add(new SlotMap()).Build();

        var foreignKey = model.ForeignKeys.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(foreignKey.Properties.Select(p => p.Name), Is.EqualTo(new[] { "Aisle", "Row" }));
            Assert.That(foreignKey.PrincipalKeys.Select(p => p.Name), Is.EqualTo(new[] { "Aisle", "Row" }));
            Assert.That(foreignKey.IsComposite, Is.True);
            Assert.That(foreignKey.ToString(), Is.EqualTo("Slot.(Aisle, Row) -> Bin.(Aisle, Row) (on delete NoAction)"));
        }
    }

    public sealed class Bin
    {
        public int Aisle { get; set; }

        public string Row { get; set; } = "";
    }

    public sealed class Slot
    {
        public long Id { get; set; }

        public int Aisle { get; set; }

        public string Row { get; set; } = "";
    }

    private sealed class BinMap : ModelConfiguration<Bin>
    {
        public override void Configure(EntityBuilder<Bin> e) => e.HasKey(b => new { b.Aisle, b.Row });
    }

    private sealed class SlotMap : ModelConfiguration<Slot>
    {
        public override void Configure(EntityBuilder<Slot> e) => e.BelongsTo<Bin>().WithForeignKey(s => new { s.Aisle, s.Row });
    }

    private sealed class SwappedSlotMap : ModelConfiguration<Slot>
    {
        public override void Configure(EntityBuilder<Slot> e) => e.BelongsTo<Bin>().WithForeignKey(s => new { s.Row, s.Aisle });
    }

    private sealed class HalfSlotMap : ModelConfiguration<Slot>
    {
        public override void Configure(EntityBuilder<Slot> e) => e.BelongsTo<Bin>().WithForeignKey(s => s.Aisle);
    }
}
