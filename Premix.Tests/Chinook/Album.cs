using Premix.Mapping;

namespace Premix.Tests.Chinook;

/// <summary>An album of one artist.</summary>
public sealed class Album
{
    public int AlbumId { get; set; }

    public string Title { get; set; } = "";

    public int ArtistId { get; set; }
}

/// <summary>Maps <see cref="Album"/> with names as written; see <see cref="ChinookModel"/> for PostgreSQL's snake_case.</summary>
public sealed class AlbumMap : ModelConfiguration<Album>
{
    public override void Configure(EntityBuilder<Album> e)
    {
        e.HasKey(x => x.AlbumId).IsClientAssigned();
        e.Property(x => x.Title).HasMaxLength(160);
    }
}
