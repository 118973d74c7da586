namespace Premix.Benchmarks.Data;

/// <summary>The mapped entity every workload reads: a key, two strings, an integer and a date, like most tables.</summary>
public sealed class Customer
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string Email { get; set; } = "";

    public int Score { get; set; }

    public DateTime CreatedAt { get; set; }
}
