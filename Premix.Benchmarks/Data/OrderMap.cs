using Premix.Mapping;

namespace Premix.Benchmarks.Data;

/// <summary>The Premix mapping of <see cref="Order"/>: it belongs to a customer, so an include stitches both directions.</summary>
public sealed class OrderMap : ModelConfiguration<Order>
{
    public override void Configure(EntityBuilder<Order> e)
    {
        e.ToTable("orders");
        e.BelongsTo(o => o.Customer).WithForeignKey(o => o.CustomerId);
    }
}
