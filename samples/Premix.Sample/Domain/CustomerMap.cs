using Premix.Mapping;

namespace Premix.Sample.Domain;

public sealed class CustomerMap : ModelConfiguration<Customer>
{
    public override void Configure(EntityBuilder<Customer> e)
    {
        e.ToTable("customers");
        e.HasKey(c => c.Id);
        e.Property(c => c.Name).IsRequired().HasMaxLength(200);
        e.Property(c => c.Email).HasMaxLength(320).Sensitive();
        e.Property(c => c.Tier).StoredAsText();
        e.Validate(c => c.Email.Contains('@', StringComparison.Ordinal), "Email must contain '@'.");
    }
}
