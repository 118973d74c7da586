using Premix.Mapping;

namespace Premix.Tests.Infrastructure;

/// <summary>A parent/child domain for unit-of-work tests: authors own books; counters are versioned.</summary>
public sealed class Author
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public List<Book> Books { get; set; } = [];
}

public sealed class Book
{
    public long Id { get; set; }

    public long AuthorId { get; set; }

    public string Title { get; set; } = "";

    public Author? Author { get; set; }
}

public sealed class AuthorMap : ModelConfiguration<Author>
{
    public override void Configure(EntityBuilder<Author> e)
    {
        e.ToTable("authors");
        e.HasMany(a => a.Books).WithForeignKey(b => b.AuthorId);
    }
}

public sealed class BookMap : ModelConfiguration<Book>
{
    public override void Configure(EntityBuilder<Book> e)
    {
        e.ToTable("books");
        e.Property(b => b.Title).HasMaxLength(100);
        e.BelongsTo(b => b.Author).WithForeignKey(b => b.AuthorId);
    }
}

public sealed class Counter
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public int Value { get; set; }

    public int Version { get; set; }
}

public sealed class CounterMap : ModelConfiguration<Counter>
{
    public override void Configure(EntityBuilder<Counter> e)
    {
        e.ToTable("counters");
        e.Property(c => c.Name).HasMaxLength(50);
        e.Version(c => c.Version);
    }
}

/// <summary>The same counter without a version column: concurrent increments can be lost.</summary>
public sealed class UnguardedCounter
{
    public long Id { get; set; }

    public int Value { get; set; }
}

public sealed class UnguardedCounterMap : ModelConfiguration<UnguardedCounter>
{
    public override void Configure(EntityBuilder<UnguardedCounter> e) => e.ToTable("unguarded_counters");
}
