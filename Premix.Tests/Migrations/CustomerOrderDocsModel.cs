using Premix.Mapping;

namespace Premix.Tests.Migrations;

// The relation of the docs' own examples, declared from both ends: docs/mapping.md's CustomerMap says
// HasMany(c => c.Orders).WithForeignKey(o => o.CustomerId); docs/migrations.md's order map says
// BelongsTo(o => o.Customer).WithForeignKey(o => o.CustomerId).OnDelete(ReferentialAction.Cascade).

public sealed class DocsCustomer
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public List<DocsOrder> Orders { get; set; } = [];
}

public sealed class DocsOrder
{
    public long Id { get; set; }

    public long CustomerId { get; set; }

    public DocsCustomer? Customer { get; set; }

    public decimal Total { get; set; }
}

public sealed class DocsCustomerMap : ModelConfiguration<DocsCustomer>
{
    public override void Configure(EntityBuilder<DocsCustomer> e)
    {
        e.ToTable("docs_customers");
        e.Property(c => c.Name).HasMaxLength(50);
        e.HasMany(c => c.Orders).WithForeignKey(o => o.CustomerId);
    }
}

public sealed class DocsOrderMap : ModelConfiguration<DocsOrder>
{
    public override void Configure(EntityBuilder<DocsOrder> e)
    {
        e.ToTable("docs_orders");
        e.BelongsTo(o => o.Customer).WithForeignKey(o => o.CustomerId).OnDelete(ReferentialAction.Cascade);
    }
}

/// <summary>The order map without its OnDelete: the foreign key Premix created before both ends were merged, when the customer's HasMany came first.</summary>
public sealed class DocsOrderWithoutCascadeMap : ModelConfiguration<DocsOrder>
{
    public override void Configure(EntityBuilder<DocsOrder> e)
    {
        e.ToTable("docs_orders");
        e.BelongsTo(o => o.Customer).WithForeignKey(o => o.CustomerId);
    }
}
