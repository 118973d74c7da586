using System.Text.Json;
using Premix.Mapping;

namespace Premix.Tests.Types;

/// <summary>A document stored as JSON: a mutable class, changed in place by the tests.</summary>
public sealed class HomeAddress
{
    public string Street { get; set; } = "";

    public string City { get; set; } = "";

    public int Floor { get; set; }

    public bool Lift { get; set; }

    public GeoPoint? Geo { get; set; }
}

/// <summary>An object nested in a stored document, for paths two members deep (r.Home.Geo.Region).</summary>
public sealed class GeoPoint
{
    public string Region { get; set; } = "";

    public int Height { get; set; }
}

public sealed class Resident
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public HomeAddress? Home { get; set; }

    public List<string> Tags { get; set; } = [];
}

/// <summary>A class stored as JSON with the default options, and a list with camelCase-free options of its own.</summary>
public sealed class ResidentMap : ModelConfiguration<Resident>
{
    public const string Table = "json_residents";

    public override void Configure(EntityBuilder<Resident> e)
    {
        e.ToTable(Table);
        e.Property(r => r.Home).StoredAsJson();
        e.Property(r => r.Tags).StoredAsJson(new JsonSerializerOptions { WriteIndented = false });
    }
}
