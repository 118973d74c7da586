using Premix.Mapping;

namespace Premix.Tests.Chinook;

/// <summary>A genre of tracks.</summary>
public sealed class Genre
{
    public int GenreId { get; set; }

    public string? Name { get; set; }
}

/// <summary>Maps <see cref="Genre"/> with names as written; see <see cref="ChinookModel"/> for PostgreSQL's snake_case.</summary>
public sealed class GenreMap : ModelConfiguration<Genre>
{
    public override void Configure(EntityBuilder<Genre> e)
    {
        e.HasKey(x => x.GenreId).IsClientAssigned();
        e.Property(x => x.Name).HasMaxLength(120);
    }
}
