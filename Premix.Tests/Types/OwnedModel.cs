using Premix.Mapping;

namespace Premix.Tests.Types;

/// <summary>A positional record: read through its constructor.</summary>
public sealed record Money(decimal Amount, string Currency);

/// <summary>A mutable class with a parameterless constructor: read through its setters, changed in place.</summary>
public sealed class PostalAddress
{
    public string Street { get; set; } = "";

    public string? City { get; set; }

    public int? Floor { get; set; }
}

public sealed class Purchase
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public Money Total { get; set; } = new(0m, "EUR");

    public PostalAddress? Shipping { get; set; }
}

/// <summary>A required record value object with a configured member, and an optional mutable one, in snake_case.</summary>
public sealed class PurchaseMap : ModelConfiguration<Purchase>
{
    public const string Table = "owned_purchases";

    public override void Configure(EntityBuilder<Purchase> e)
    {
        e.ToTable(Table);
        e.Owns(p => p.Total, m => m.Property(v => v.Amount).HasPrecision(18, 4));
        e.Owns(p => p.Shipping, a => a.Property(v => v.Street).HasMaxLength(100));
    }
}
