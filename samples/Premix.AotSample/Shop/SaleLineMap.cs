using Premix.Mapping;

namespace AotShop;

/// <summary>
/// Maps <see cref="SaleLine"/> onto <c>sale_lines</c>, keyed by (SaleId, Line); its notes by both parts (no relation to
/// <see cref="Sale"/>: the tests that drop <c>sales</c> know nothing of lines).
/// </summary>
public sealed class SaleLineMap : ModelConfiguration<SaleLine>
{
    /// <inheritdoc />
    public override void Configure(EntityBuilder<SaleLine> e)
    {
        e.ToTable("sale_lines");
        e.HasKey(l => new { l.SaleId, l.Line });
        e.Property(l => l.Item).HasMaxLength(100);
        e.HasMany(l => l.Notes).WithForeignKey(n => new { n.SaleId, n.Line });
    }
}
