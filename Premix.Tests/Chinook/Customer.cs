using Premix.Mapping;

namespace Premix.Tests.Chinook;

/// <summary>A customer; company, state and support rep may be missing.</summary>
public sealed class Customer
{
    public int CustomerId { get; set; }

    public string FirstName { get; set; } = "";

    public string LastName { get; set; } = "";

    public string? Company { get; set; }

    public string? City { get; set; }

    public string? State { get; set; }

    public string? Country { get; set; }

    public string Email { get; set; } = "";

    public int? SupportRepId { get; set; }
}

/// <summary>Maps <see cref="Customer"/> with names as written; see <see cref="ChinookModel"/> for PostgreSQL's snake_case.</summary>
public sealed class CustomerMap : ModelConfiguration<Customer>
{
    public override void Configure(EntityBuilder<Customer> e)
    {
        e.HasKey(x => x.CustomerId).IsClientAssigned();
        e.Property(x => x.FirstName).HasMaxLength(40);
        e.Property(x => x.LastName).HasMaxLength(20);
        e.Property(x => x.Company).HasMaxLength(80);
        e.Property(x => x.Email).HasMaxLength(60);
    }
}
