namespace Premix.Sample.Domain;

public sealed class Order
{
    public long Id { get; set; }

    public long CustomerId { get; set; }

    public decimal Total { get; set; }

    public DateOnly PlacedOn { get; set; }
}
