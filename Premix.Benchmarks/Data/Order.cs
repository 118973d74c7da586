namespace Premix.Benchmarks.Data;

/// <summary>An order of a customer: the child side of the include workload.</summary>
public sealed class Order
{
    public long Id { get; set; }

    public long CustomerId { get; set; }

    public decimal Total { get; set; }

    public DateTime PlacedAt { get; set; }

    public CustomerWithOrders? Customer { get; set; }
}
