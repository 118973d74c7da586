using Premix.Mapping;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// A table-per-hierarchy domain whose relations name a subclass: a rider owns ponies (not mules), every mount lives in
/// one table, a pony (and so a shetland) has saddles, and a show's winner is a pony.
/// </summary>
public sealed class Rider
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public List<Pony> Ponies { get; set; } = [];
}

public abstract class Mount
{
    public long Id { get; set; }

    public string Kind { get; private set; } = "";

    public string Name { get; set; } = "";
}

public class Pony : Mount
{
    public long? RiderId { get; set; }

    public Rider? Rider { get; set; }

    public List<Saddle> Saddles { get; set; } = [];
}

public sealed class Shetland : Pony
{
    public int Hands { get; set; }
}

public sealed class Mule : Mount
{
    public int Load { get; set; }
}

public sealed class Saddle
{
    public long Id { get; set; }

    public string Maker { get; set; } = "";

    public long PonyId { get; set; }

    public Pony? Pony { get; set; }
}

public sealed class Show
{
    public long Id { get; set; }

    public string Title { get; set; } = "";

    public long? WinnerId { get; set; }

    public Pony? Winner { get; set; }
}

public sealed class RiderMap : ModelConfiguration<Rider>
{
    public override void Configure(EntityBuilder<Rider> e)
    {
        e.ToTable("riders");
        e.HasMany(r => r.Ponies).WithForeignKey(p => p.RiderId);
    }
}

public sealed class MountMap : ModelConfiguration<Mount>
{
    public override void Configure(EntityBuilder<Mount> e)
    {
        e.ToTable("mounts");
        e.HasDiscriminator(m => m.Kind).HasValue<Pony>("pony").HasValue<Shetland>("shetland").HasValue<Mule>("mule");
        e.Property(m => m.Kind).HasMaxLength(20);
        e.Property(m => m.Name).HasMaxLength(50);
    }
}

/// <summary>A subclass's mapping declares the relations only its class has.</summary>
public sealed class PonyMap : ModelConfiguration<Pony>
{
    public override void Configure(EntityBuilder<Pony> e)
    {
        e.BelongsTo(p => p.Rider).WithForeignKey(p => p.RiderId);
        e.HasMany(p => p.Saddles).WithForeignKey(s => s.PonyId);
    }
}

public sealed class SaddleMap : ModelConfiguration<Saddle>
{
    public override void Configure(EntityBuilder<Saddle> e)
    {
        e.ToTable("saddles");
        e.Property(s => s.Maker).HasMaxLength(50);
        e.BelongsTo(s => s.Pony).WithForeignKey(s => s.PonyId);
    }
}

public sealed class ShowMap : ModelConfiguration<Show>
{
    public override void Configure(EntityBuilder<Show> e)
    {
        e.ToTable("shows");
        e.Property(s => s.Title).HasMaxLength(50);
        e.BelongsTo(s => s.Winner).WithForeignKey(s => s.WinnerId);
    }
}
