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
                + " Fix: Break the cycle at one relation, for example at Hen.EggId: remove Hen's BelongsTo<Egg>() from the maps, and keep Hen.EggId as a plain property that you set once both rows exist."));
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
    public void The_fix_of_a_cycle_with_navigations_names_each_declaration_to_remove_and_each_navigation_to_ignore()
    {
        var error = Assert.Throws<MappingException>(() => new ModelBuilder().Add(new StoreMap()).Add(new ClerkMap()).Build());

        Assert.That(error!.Problems.Single().Fix, Is.EqualTo(
            "Break the cycle at one relation, for example at Store.ManagerId: remove Store's BelongsTo(x => x.Manager) and Clerk's HasMany(x => x.ManagedStores) from the maps,"
            + " leave the navigation properties Store.Manager and Clerk.ManagedStores out with Ignore(...) (or delete them), and keep Store.ManagerId as a plain property that you set once both rows exist."));
    }

    [Test]
    public void Following_the_fix_of_a_cycle_gives_a_model_that_starts()
    {
        var model = new ModelBuilder().Add(new StoreBrokenMap()).Add(new ClerkBrokenMap()).Build();

        Assert.That(model.Entities.SelectMany(e => e.Relations).Select(r => r.ForeignKey.Name), Is.EquivalentTo(new[] { "StoreId", "StoreId" }));
        Assert.That(model.Get(typeof(Store)).FindProperty(nameof(Store.ManagerId)), Is.Not.Null, "the foreign key stays, as a plain property");
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

    public sealed class Store
    {
        public long Id { get; set; }

        public long ManagerId { get; set; }

        public Clerk? Manager { get; set; }

        public List<Clerk> Clerks { get; set; } = [];
    }

    public sealed class Clerk
    {
        public long Id { get; set; }

        public long StoreId { get; set; }

        public Store? Store { get; set; }

        public List<Store> ManagedStores { get; set; } = [];
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

    // Store and Clerk need each other, with navigations on both sides of both relations.
    private sealed class StoreMap : ModelConfiguration<Store>
    {
        public override void Configure(EntityBuilder<Store> e)
        {
            e.BelongsTo(x => x.Manager).WithForeignKey(x => x.ManagerId);
            e.HasMany(x => x.Clerks).WithForeignKey(c => c.StoreId);
        }
    }

    private sealed class ClerkMap : ModelConfiguration<Clerk>
    {
        public override void Configure(EntityBuilder<Clerk> e)
        {
            e.BelongsTo(x => x.Store).WithForeignKey(x => x.StoreId);
            e.HasMany(x => x.ManagedStores).WithForeignKey(s => s.ManagerId);
        }
    }

    // The same two, with the cycle broken as the fix says.
    private sealed class StoreBrokenMap : ModelConfiguration<Store>
    {
        public override void Configure(EntityBuilder<Store> e)
        {
            e.HasMany(x => x.Clerks).WithForeignKey(c => c.StoreId);
            e.Ignore(x => x.Manager);
        }
    }

    private sealed class ClerkBrokenMap : ModelConfiguration<Clerk>
    {
        public override void Configure(EntityBuilder<Clerk> e)
        {
            e.BelongsTo(x => x.Store).WithForeignKey(x => x.StoreId);
            e.Ignore(x => x.ManagedStores);
        }
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
