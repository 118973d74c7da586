using Premix.Mapping;

namespace Premix.Tests.Infrastructure;

/// <summary>A small shop domain shared by the repository, DI and logging tests.</summary>
public sealed class Customer
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string? Email { get; set; }

    public int Visits { get; set; }
}

public sealed class CustomerMap : ModelConfiguration<Customer>
{
    public override void Configure(EntityBuilder<Customer> e)
    {
        e.ToTable("customers");
        e.HasKey(c => c.Id);
        e.Property(c => c.Name).HasMaxLength(20);
        e.Property(c => c.Email).HasMaxLength(100).Sensitive();
        e.Validate(c => c.Email is null || c.Email.Contains('@', StringComparison.Ordinal), "Email must contain '@'.");
    }
}

public sealed class Gadget
{
    public Guid Id { get; set; }

    public string Label { get; set; } = "";
}

public sealed class GadgetMap : ModelConfiguration<Gadget>
{
    public override void Configure(EntityBuilder<Gadget> e) => e.ToTable("gadgets");
}
