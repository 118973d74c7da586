using Premix.Mapping;

namespace Premix.Tests.Chinook;

/// <summary>An invoice: a date-time, a billing address that may lack a state, a decimal total.</summary>
public sealed class Invoice
{
    public int InvoiceId { get; set; }

    public int CustomerId { get; set; }

    public DateTime InvoiceDate { get; set; }

    public string? BillingCity { get; set; }

    public string? BillingState { get; set; }

    public string? BillingCountry { get; set; }

    public decimal Total { get; set; }
}

/// <summary>Maps <see cref="Invoice"/> with names as written; see <see cref="ChinookModel"/> for PostgreSQL's snake_case.</summary>
public sealed class InvoiceMap : ModelConfiguration<Invoice>
{
    public override void Configure(EntityBuilder<Invoice> e)
    {
        e.HasKey(x => x.InvoiceId).IsClientAssigned();
        e.Property(x => x.BillingCountry).HasMaxLength(40);
        e.Property(x => x.Total).HasPrecision(10, 2);
    }
}
