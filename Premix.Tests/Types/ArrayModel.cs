using Premix.Mapping;

namespace Premix.Tests.Types;

/// <summary>An entity with array columns: arrays and lists, of values and of nullable values.</summary>
public sealed class Article
{
    public long Id { get; set; }

    public string Title { get; set; } = "";

    public string[] Tags { get; set; } = [];

    public List<int> Scores { get; set; } = [];

    public int?[]? Ratings { get; set; }

    public List<string?>? Notes { get; set; }
}

public sealed class ArticleMap : ModelConfiguration<Article>
{
    public const string Table = "array_articles";

    public override void Configure(EntityBuilder<Article> e) => e.ToTable(Table);
}

/// <summary>One array of each element type Premix maps to a PostgreSQL array.</summary>
public sealed class ArrayRow
{
    public long Id { get; set; }

    public bool[]? Flags { get; set; }

    public short[]? Shorts { get; set; }

    public long[]? Longs { get; set; }

    public decimal[]? Amounts { get; set; }

    public double[]? Ratios { get; set; }

    public float[]? Singles { get; set; }

    public Guid[]? Guids { get; set; }

    public DateTime[]? Times { get; set; }

    public DateTimeOffset[]? Instants { get; set; }

    public List<DateOnly>? Days { get; set; }

    public TimeOnly[]? Clocks { get; set; }

    public TimeSpan[]? Spans { get; set; }

    public List<DateTime?>? MaybeTimes { get; set; }
}

public sealed class ArrayRowMap : ModelConfiguration<ArrayRow>
{
    public const string Table = "array_rows";

    public override void Configure(EntityBuilder<ArrayRow> e) => e.ToTable(Table);
}
