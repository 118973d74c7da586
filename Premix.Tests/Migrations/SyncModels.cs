using Premix.Mapping;

namespace Premix.Tests.Migrations;

// Two versions of one small schema, as a team's mapping evolves: V2 widens, adds, drops, re-indexes and re-keys V1.

public sealed class AuthorV1
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string? Bio { get; set; }
}

public sealed class BookV1
{
    public long Id { get; set; }

    public long AuthorId { get; set; }

    public string Title { get; set; } = "";

    public int Pages { get; set; }
}

public sealed class AuthorV1Map : ModelConfiguration<AuthorV1>
{
    public override void Configure(EntityBuilder<AuthorV1> e)
    {
        e.ToTable("sync_authors");
        e.Property(a => a.Name).HasMaxLength(20);
        e.Property(a => a.Bio).HasMaxLength(100);
        e.HasIndex(a => a.Name);
    }
}

public sealed class BookV1Map : ModelConfiguration<BookV1>
{
    public override void Configure(EntityBuilder<BookV1> e)
    {
        e.ToTable("sync_books");
        e.Property(b => b.Title).HasMaxLength(50);
        e.BelongsTo<AuthorV1>().WithForeignKey(b => b.AuthorId);
    }
}

public sealed class AuthorV2
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string Country { get; set; } = "";
}

public sealed class BookV2
{
    public long Id { get; set; }

    public long AuthorId { get; set; }

    public string Title { get; set; } = "";

    public int Pages { get; set; }

    public string? Isbn { get; set; }
}

public sealed class ReviewV2
{
    public long Id { get; set; }

    public long BookId { get; set; }

    public int Stars { get; set; }
}

public sealed class AuthorV2Map : ModelConfiguration<AuthorV2>
{
    public override void Configure(EntityBuilder<AuthorV2> e)
    {
        e.ToTable("sync_authors");
        e.Property(a => a.Name).HasMaxLength(50);
        e.Property(a => a.Country).HasMaxLength(20).HasDefaultValueSql("'unknown'");
        e.HasIndex(a => new { a.Name, a.Country }).IsUnique();
    }
}

public sealed class BookV2Map : ModelConfiguration<BookV2>
{
    public override void Configure(EntityBuilder<BookV2> e)
    {
        e.ToTable("sync_books");
        e.Property(b => b.Title).HasMaxLength(50);
        e.Property(b => b.Isbn).HasMaxLength(17);
        e.BelongsTo<AuthorV2>().WithForeignKey(b => b.AuthorId).OnDelete(ReferentialAction.Cascade);
    }
}

public sealed class ReviewV2Map : ModelConfiguration<ReviewV2>
{
    public override void Configure(EntityBuilder<ReviewV2> e)
    {
        e.ToTable("sync_reviews");
        e.BelongsTo<BookV2>().WithForeignKey(r => r.BookId);
        e.Property(r => r.Stars).HasDefaultValueSql("3");
    }
}

/// <summary>V1 with a required Bio: becoming required must be refused while rows hold NULL there.</summary>
public sealed class AuthorBioRequiredMap : ModelConfiguration<AuthorV1>
{
    public override void Configure(EntityBuilder<AuthorV1> e)
    {
        e.ToTable("sync_authors");
        e.Property(a => a.Name).HasMaxLength(20);
        e.Property(a => a.Bio).HasMaxLength(100).IsRequired();
        e.HasIndex(a => a.Name);
    }
}

/// <summary>V1 with a shorter Name: a narrowing that must be refused.</summary>
public sealed class AuthorNameNarrowedMap : ModelConfiguration<AuthorV1>
{
    public override void Configure(EntityBuilder<AuthorV1> e)
    {
        e.ToTable("sync_authors");
        e.Property(a => a.Name).HasMaxLength(5);
        e.Property(a => a.Bio).HasMaxLength(100);
        e.HasIndex(a => a.Name);
    }
}
