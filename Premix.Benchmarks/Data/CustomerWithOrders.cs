namespace Premix.Benchmarks.Data;

/// <summary>
/// A row of the same customers table with its orders, for the include workload only: a separate type, so the mapping
/// of <see cref="Customer"/> (and what every other workload measures) carries no relation.
/// </summary>
public sealed class CustomerWithOrders
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string Email { get; set; } = "";

    public int Score { get; set; }

    public DateTime CreatedAt { get; set; }

    public List<Order> Orders { get; set; } = [];
}
