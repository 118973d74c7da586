using Premix.Mapping;

namespace Premix.Tests.Chinook;

/// <summary>An artist (Chinook's Artist table).</summary>
public sealed class Artist
{
    public int ArtistId { get; set; }

    public string? Name { get; set; }
}

/// <summary>Maps <see cref="Artist"/> with names as written; see <see cref="ChinookModel"/> for PostgreSQL's snake_case.</summary>
public sealed class ArtistMap : ModelConfiguration<Artist>
{
    public override void Configure(EntityBuilder<Artist> e)
    {
        e.HasKey(x => x.ArtistId).IsClientAssigned();
        e.Property(x => x.Name).HasMaxLength(120);
    }
}
