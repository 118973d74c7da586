namespace Premix.Benchmarks.Data;

/// <summary>The unmapped row type a raw query is read into (Premix Raw, Dapper, EF Core SqlQuery).</summary>
public sealed class CustomerRow
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string Email { get; set; } = "";

    public int Score { get; set; }

    public DateTime CreatedAt { get; set; }
}
