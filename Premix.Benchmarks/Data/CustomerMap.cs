using Premix.Mapping;

namespace Premix.Benchmarks.Data;

/// <summary>The Premix mapping of <see cref="Customer"/>; columns come from the snake_case convention.</summary>
public sealed class CustomerMap : ModelConfiguration<Customer>
{
    public override void Configure(EntityBuilder<Customer> e) => e.ToTable("customers");
}
