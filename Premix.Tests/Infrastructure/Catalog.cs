using Premix.Mapping;

namespace Premix.Tests.Infrastructure;

public enum Category
{
    Tools,
    Toys,
    Books,
}

/// <summary>A product catalogue for query tests: text, numbers, nullable members, an enum stored as text, a flag.</summary>
public sealed class Product
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public decimal Price { get; set; }

    public int? Stock { get; set; }

    public Category Category { get; set; }

    public bool Discontinued { get; set; }

    public string? Secret { get; set; }
}

public sealed class ProductMap : ModelConfiguration<Product>
{
    public override void Configure(EntityBuilder<Product> e)
    {
        e.ToTable("products");
        e.Property(p => p.Name).HasMaxLength(100);
        e.Property(p => p.Price).HasPrecision(10, 2);
        e.Property(p => p.Category).StoredAsText();
        e.Property(p => p.Secret).HasMaxLength(50).Sensitive();
    }
}
