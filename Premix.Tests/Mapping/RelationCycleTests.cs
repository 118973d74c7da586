using Premix.Mapping;

namespace Premix.Tests.Mapping;

/// <summary>A cycle of relations between entity types is reported in the one MappingException, beside every other problem.</summary>
public sealed class RelationCycleTests
{
    [Test]
    public void A_required_parent_cycle_is_listed_with_every_other_problem_in_one_exception()
    {
        var error = Assert.Throws<MappingException>(() => PremixFactory.Create(p => p.UseSqlite("Data Source=:memory:")
            .AddModelConfiguration(new HenMap()).AddModelConfiguration(new EggMap()).AddModelConfiguration(new NoKeyMap()).AddModelConfiguration(new BadTypeMap())));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Problems.Select(p => $"{p.Entity}.{p.Property}"), Is.EquivalentTo(new[] { "Hen.", "NoKey.", "BadType.Tags" }));
            Assert.That(error.Message, Does.StartWith("The Premix model has 3 mapping problems:"));
            Assert.That(error.Message, Does.Contain("Hen: is part of a cycle of required parents (Hen -> Egg -> Hen), so no insert order exists."
                + " Fix: Remove one relation of the cycle, or keep that foreign key as a plain property and set it after both rows exist."));
        }
    }

    [Test]
    public void A_cycle_of_required_parents_between_types_fails_at_startup_naming_the_cycle()
    {
        var error = Assert.Throws<MappingException>(() => PremixFactory.Create(p => p.UseSqlite("Data Source=:memory:").AddModelConfiguration<HenMap>().AddModelConfiguration<EggMap>()));

        Assert.That(error!.Message, Does.Contain("cycle of required parents").And.Contain("Hen -> Egg -> Hen").Or.Contain("Egg -> Hen -> Egg"));
    }

    [Test]
    public void Every_cycle_is_reported_once_even_when_declared_from_both_ends_or_reached_from_outside_it()
    {
        var builder = new ModelBuilder().Add(new HenMap()).Add(new EggMap()).Add(new ChickMap()).Add(new RockMap()).Add(new PaperMap());

        var error = Assert.Throws<MappingException>(() => builder.Build());

        Assert.That(error!.Problems.Select(p => p.Problem), Is.EquivalentTo(new[]
        {
            "is part of a cycle of required parents (Hen -> Egg -> Hen), so no insert order exists.",
            "is part of a cycle of required parents (Rock -> Paper -> Rock), so no insert order exists.",
        }));
    }

    [Test]
    public void A_type_that_refers_to_itself_is_not_a_cycle()
    {
        var model = new ModelBuilder().Add(new EmployeeMap()).Build();

        Assert.That(model.Entities.Single().Relations, Has.Count.EqualTo(1));
    }

    public sealed class Hen
    {
        public long Id { get; set; }

        public long EggId { get; set; }
    }

    public sealed class Egg
    {
        public long Id { get; set; }

        public long HenId { get; set; }
    }

    /// <summary>Depends on the Hen/Egg cycle without being part of it.</summary>
    public sealed class Chick
    {
        public long Id { get; set; }

        public long EggId { get; set; }
    }

    public sealed class Rock
    {
        public long Id { get; set; }

        public long PaperId { get; set; }

        public List<Paper> Wrapped { get; set; } = [];
    }

    public sealed class Paper
    {
        public long Id { get; set; }

        public long RockId { get; set; }
    }

    public sealed class Employee
    {
        public long Id { get; set; }

        public long? ManagerId { get; set; }
    }

    public sealed class NoKey
    {
        public string Name { get; set; } = "";
    }

    public sealed class BadType
    {
        public long Id { get; set; }

        public Dictionary<string, int> Tags { get; set; } = [];
    }

    private sealed class HenMap : ModelConfiguration<Hen>
    {
        public override void Configure(EntityBuilder<Hen> e) => e.BelongsTo<Egg>().WithForeignKey(h => h.EggId);
    }

    private sealed class EggMap : ModelConfiguration<Egg>
    {
        public override void Configure(EntityBuilder<Egg> e) => e.BelongsTo<Hen>().WithForeignKey(x => x.HenId);
    }

    private sealed class ChickMap : ModelConfiguration<Chick>
    {
        public override void Configure(EntityBuilder<Chick> e) => e.BelongsTo<Egg>().WithForeignKey(c => c.EggId);
    }

    // The cycle is declared from both ends (HasMany on Rock, BelongsTo on Paper, and Rock's own BelongsTo): still one cycle.
    private sealed class RockMap : ModelConfiguration<Rock>
    {
        public override void Configure(EntityBuilder<Rock> e)
        {
            e.BelongsTo<Paper>().WithForeignKey(r => r.PaperId);
            e.HasMany(r => r.Wrapped).WithForeignKey(p => p.RockId);
        }
    }

    private sealed class PaperMap : ModelConfiguration<Paper>
    {
        public override void Configure(EntityBuilder<Paper> e) => e.BelongsTo<Rock>().WithForeignKey(p => p.RockId);
    }

    private sealed class EmployeeMap : ModelConfiguration<Employee>
    {
        public override void Configure(EntityBuilder<Employee> e) => e.BelongsTo<Employee>().WithForeignKey(x => x.ManagerId);
    }

    private sealed class NoKeyMap : ModelConfiguration<NoKey>
    {
        public override void Configure(EntityBuilder<NoKey> e) => e.ToTable("no_key");
    }

    private sealed class BadTypeMap : ModelConfiguration<BadType>
    {
        public override void Configure(EntityBuilder<BadType> e) => e.ToTable("bad_type");
    }
}
