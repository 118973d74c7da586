using Premix.Mapping;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// A table-per-hierarchy domain: every pet lives in one table, its "Kind" column saying which class a row is; a dog's
/// puppies are dogs too; keepers own pets of any class.
/// </summary>
public sealed class Keeper
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public List<Pet> Pets { get; set; } = [];
}

public abstract class Pet
{
    public long Id { get; set; }

    public string Kind { get; private set; } = "";

    public string Name { get; set; } = "";

    public long? KeeperId { get; set; }

    public Keeper? Keeper { get; set; }
}

public class Dog : Pet
{
    public string Breed { get; set; } = "";

    public bool GoodBoy { get; set; }
}

public sealed class Puppy : Dog
{
    public int AgeWeeks { get; set; }
}

public sealed class Cat : Pet
{
    public int Lives { get; set; }

    public string? Color { get; set; }
}

public sealed class KeeperMap : ModelConfiguration<Keeper>
{
    public override void Configure(EntityBuilder<Keeper> e)
    {
        e.ToTable("keepers");
        e.HasMany(k => k.Pets).WithForeignKey(p => p.KeeperId);
    }
}

public sealed class PetMap : ModelConfiguration<Pet>
{
    public override void Configure(EntityBuilder<Pet> e)
    {
        e.ToTable("pets");
        e.HasDiscriminator(p => p.Kind).HasValue<Dog>("dog").HasValue<Puppy>("puppy").HasValue<Cat>("cat");
        e.Property(p => p.Kind).HasMaxLength(20);
        e.Property(p => p.Name).HasMaxLength(50);
        e.BelongsTo(p => p.Keeper).WithForeignKey(p => p.KeeperId);
    }
}

/// <summary>A subclass's own mapping configures only its own properties; Cat is mapped by convention.</summary>
public sealed class DogMap : ModelConfiguration<Dog>
{
    public override void Configure(EntityBuilder<Dog> e) => e.Property(d => d.Breed).HasColumnName("breed").HasMaxLength(40);
}
