using Premix.Mapping;

namespace AotShop;

/// <summary>Maps <see cref="Sale"/> onto <c>sales</c> (no foreign key: the tests that drop <c>books</c> know nothing of sales).</summary>
public sealed class SaleMap : ModelConfiguration<Sale>
{
    /// <inheritdoc />
    public override void Configure(EntityBuilder<Sale> e)
    {
        e.ToTable("sales");
        e.Property(s => s.Status).StoredAsText();
        e.Property(s => s.Amount).HasConversion(amount => amount.Value, cents => new Cents(cents));
        e.Property(s => s.UnitPrice).HasPrecision(10, 2);
        e.Property(s => s.Tags).HasConversion(tags => string.Join(",", tags), text => new HashSet<string>(text.Split(',', StringSplitOptions.RemoveEmptyEntries))).HasMaxLength(200);
    }
}
