using Premix.Mapping;

namespace Premix.Tests.Types;

/// <summary>A time slot stored as the PostgreSQL composite type <see cref="VisitMap.TypeName"/>: wall-clock times and instants, required and optional.</summary>
public sealed class VisitSlot
{
    public DateTime Starts { get; set; }

    public DateTime? Ends { get; set; }

    public DateTimeOffset Booked { get; set; }

    public DateTimeOffset? Confirmed { get; set; }
}

/// <summary>An entity with a composite-typed property whose attributes are times (<see cref="VisitMap"/>).</summary>
public sealed class Visit
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public VisitSlot Slot { get; set; } = new();
}

public sealed class VisitMap : ModelConfiguration<Visit>
{
    public const string Table = "pg_visits";

    public const string TypeName = "pg_visit_slot";

    public override void Configure(EntityBuilder<Visit> e)
    {
        e.ToTable(Table);
        e.Property(v => v.Name).HasMaxLength(40);
        e.Property(v => v.Slot).StoredAsCompositeType(TypeName);
    }
}
