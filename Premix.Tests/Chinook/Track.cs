using Premix.Mapping;

namespace Premix.Tests.Chinook;

/// <summary>A track: nullable album, genre, composer and size; a decimal price.</summary>
public sealed class Track
{
    public int TrackId { get; set; }

    public string Name { get; set; } = "";

    public int? AlbumId { get; set; }

    public int MediaTypeId { get; set; }

    public int? GenreId { get; set; }

    public string? Composer { get; set; }

    public int Milliseconds { get; set; }

    public int? Bytes { get; set; }

    public decimal UnitPrice { get; set; }
}

/// <summary>Maps <see cref="Track"/> with names as written; see <see cref="ChinookModel"/> for PostgreSQL's snake_case.</summary>
public sealed class TrackMap : ModelConfiguration<Track>
{
    public override void Configure(EntityBuilder<Track> e)
    {
        e.HasKey(x => x.TrackId).IsClientAssigned();
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.Composer).HasMaxLength(220);
        e.Property(x => x.UnitPrice).HasPrecision(10, 2);
    }
}
