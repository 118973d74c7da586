using Premix.Mapping;

namespace Premix.Tests.Testing.RecordingFake;

/// <summary>A small library for the recording fake's tests: generated keys, a version, a soft delete, a relation, a rule and a hook.</summary>
public sealed class Author
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string? Email { get; set; }

    public int Version { get; set; }

    public DateTime? DeletedAt { get; set; }

    /// <summary>Set by the BeforeInsert hook of the mapping.</summary>
    public string? Slug { get; set; }

    public List<Book> Books { get; set; } = [];
}

public sealed class Book
{
    public long Id { get; set; }

    public long AuthorId { get; set; }

    public string Title { get; set; } = "";

    public decimal Price { get; set; }

    public Author? Author { get; set; }
}

public sealed class AuthorMap : ModelConfiguration<Author>
{
    public override void Configure(EntityBuilder<Author> e)
    {
        e.ToTable("fake_authors");
        e.Property(a => a.Name).IsRequired().HasMaxLength(40);
        e.Property(a => a.Email).HasMaxLength(100).Sensitive();
        e.Version(a => a.Version);
        e.SoftDelete(a => a.DeletedAt);
        e.HasMany(a => a.Books).WithForeignKey(b => b.AuthorId);
        e.Validate(a => a.Email is null || a.Email.Contains('@', StringComparison.Ordinal), "Email must contain '@'.");
        e.BeforeInsert(a => a.Slug = a.Name.ToLowerInvariant().Replace(' ', '-'));
    }
}

public sealed class BookMap : ModelConfiguration<Book>
{
    public override void Configure(EntityBuilder<Book> e)
    {
        e.ToTable("fake_books");
        e.Property(b => b.Title).IsRequired().HasMaxLength(80);
        e.HasIndex(b => b.Title).IsUnique();
        e.Property(b => b.Price).HasPrecision(10, 2).Rounding(MidpointRounding.AwayFromZero);
        e.BelongsTo(b => b.Author).WithForeignKey(b => b.AuthorId);
    }
}
