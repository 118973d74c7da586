using Premix.Mapping;

namespace Premix.Tests.Types;

/// <summary>A film's rating: stored as the database enum type <c>pg_rating</c> (<see cref="ReviewMap"/>), alone and in arrays.</summary>
public enum Rating
{
    Poor,
    Fair,
    [EnumLabel("Very Good")]
    VeryGood,
}

/// <summary>An entity with a property of a database enum type and arrays and lists of it (<c>pg_rating[]</c> columns).</summary>
public sealed class Review
{
    public long Id { get; set; }

    public string Title { get; set; } = "";

    public Rating Overall { get; set; }

    public Rating[] Ratings { get; set; } = [];

    public List<Rating>? History { get; set; }

    public Rating?[]? Partial { get; set; }
}

public sealed class ReviewMap : ModelConfiguration<Review>
{
    public const string Table = "pg_reviews";

    public const string EnumType = "pg_rating";

    public override void Configure(EntityBuilder<Review> e)
    {
        e.ToTable(Table);
        e.Property(r => r.Title).HasMaxLength(40);
        e.Property(r => r.Overall).StoredAsEnumType(EnumType);
        e.Property(r => r.Ratings).StoredAsEnumType(EnumType);
        e.Property(r => r.History).StoredAsEnumType(EnumType);
        e.Property(r => r.Partial).StoredAsEnumType(EnumType);
    }
}
