using Premix.Mapping;

namespace Premix.Benchmarks.Data;

/// <summary>The Premix mapping of <see cref="CustomerWithOrders"/>: the customers table, which has many orders.</summary>
public sealed class CustomerWithOrdersMap : ModelConfiguration<CustomerWithOrders>
{
    public override void Configure(EntityBuilder<CustomerWithOrders> e)
    {
        e.ToTable("customers");
        e.HasMany(c => c.Orders).WithForeignKey(o => o.CustomerId);
    }
}
