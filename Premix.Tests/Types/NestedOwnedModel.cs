using Premix.Mapping;

namespace Premix.Tests.Types;

/// <summary>A positional record held by other value objects: read through its constructor.</summary>
public sealed record Coordinates(decimal Lat, decimal Lng);

/// <summary>A mutable class held by a mutable class: its member changed in place two levels down.</summary>
public sealed class Entrance
{
    public string? Code { get; set; }
}

/// <summary>A mutable class owning an optional <see cref="Coordinates"/> and <see cref="Entrance"/>: changed in place, its nested objects set through setters.</summary>
public sealed class Dwelling
{
    public string Street { get; set; } = "";

    public Coordinates? Geo { get; set; }

    public Entrance? Entrance { get; set; }
}

/// <summary>A positional record owning a required <see cref="Coordinates"/>: the point goes into its constructor.</summary>
public sealed record Workplace(string Name, Coordinates Geo);

public sealed class Tenant
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public Dwelling Home { get; set; } = new();

    public Workplace? Office { get; set; }
}

/// <summary>
/// Value objects inside value objects, in snake_case: a required <see cref="Dwelling"/> with an optional point
/// (<c>home_street</c>, <c>home_geo_lat</c>, <c>home_geo_lng</c>) and an optional <see cref="Entrance"/> (<c>home_entrance_code</c>) and an optional <see cref="Workplace"/> with a required one
/// (<c>office_name</c>, <c>office_geo_lat</c>, <c>office_geo_lng</c>).
/// </summary>
public sealed class TenantMap : ModelConfiguration<Tenant>
{
    public const string Table = "owned_tenants";

    public override void Configure(EntityBuilder<Tenant> e)
    {
        e.ToTable(Table);
        e.Owns(r => r.Home, a => a.Owns(v => v.Geo, g => g.Property(p => p.Lat).HasPrecision(9, 6)).Owns(v => v.Entrance));
        e.Owns(r => r.Office, s => s.Owns(v => v.Geo));
    }
}
