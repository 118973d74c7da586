namespace Premix.Sample.Domain;

public sealed class Customer
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string Email { get; set; } = "";

    public CustomerTier Tier { get; set; }

    public DateTime CreatedAt { get; set; }
}

public enum CustomerTier
{
    Standard,
    Gold,
}
