using Premix.Mapping;

namespace Premix.Sample.Domain;

public sealed class OrderMap : ModelConfiguration<Order>
{
    public override void Configure(EntityBuilder<Order> e)
    {
        e.ToTable("orders");
        e.Property(o => o.Total).HasPrecision(12, 2);
        e.BelongsTo<Customer>().WithForeignKey(o => o.CustomerId);
    }
}
