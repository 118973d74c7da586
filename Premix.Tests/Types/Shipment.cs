using Premix.Mapping;

namespace Premix.Tests.Types;

/// <summary>A postal address stored as the PostgreSQL composite type <see cref="ShipmentMap.TypeName"/>: a class compared by reference, so change tracking must compare its attributes.</summary>
public sealed class ShipmentAddress
{
    public string? Street { get; set; }

    public string? City { get; set; }

    public int? Zip { get; set; }
}

/// <summary>An entity with a required and an optional composite-typed property (<see cref="ShipmentMap"/>).</summary>
public sealed class Shipment
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public ShipmentAddress To { get; set; } = new();

    public ShipmentAddress? From { get; set; }
}

public sealed class ShipmentMap : ModelConfiguration<Shipment>
{
    public const string Table = "pg_shipments";

    public const string TypeName = "pg_postal_address";

    public override void Configure(EntityBuilder<Shipment> e)
    {
        e.ToTable(Table);
        e.Property(s => s.Name).HasMaxLength(40);
        e.Property(s => s.To).StoredAsCompositeType(TypeName);
        e.Property(s => s.From).StoredAsCompositeType(TypeName);
    }
}
