using System.Text.Json.Serialization;
using Premix.Mapping;

namespace Premix.Tests.Types;

public sealed class Lodger
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public HomeAddress? Home { get; set; }
}

/// <summary>
/// System.Text.Json's source-generated metadata, camelCase so that the stored text shows the metadata's options were used
/// (the reflection-based default would write <c>City</c>).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HomeAddress))]
[JsonSerializable(typeof(GeoPoint))]
public sealed partial class LodgerJson : JsonSerializerContext;

/// <summary>A document stored through generated metadata (<c>StoredAsJson(JsonTypeInfo)</c>).</summary>
public sealed class LodgerMap : ModelConfiguration<Lodger>
{
    public const string Table = "json_lodgers";

    public override void Configure(EntityBuilder<Lodger> e)
    {
        e.ToTable(Table);
        e.Property(l => l.Home).StoredAsJson(LodgerJson.Default.HomeAddress);
    }
}

/// <summary>Misuse: the metadata of another type than the property's.</summary>
public sealed class MismatchedLodgerMap : ModelConfiguration<Lodger>
{
    public override void Configure(EntityBuilder<Lodger> e)
    {
        e.ToTable(LodgerMap.Table);
        e.Property(l => l.Home).StoredAsJson(LodgerJson.Default.GeoPoint);
    }
}
