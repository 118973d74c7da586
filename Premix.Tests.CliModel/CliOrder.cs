namespace Premix.Tests.CliModel;

/// <summary>An order of a <see cref="CliCustomer"/>: the child entity of the command-line tests' model.</summary>
public sealed class CliOrder
{
    /// <summary>The generated key.</summary>
    public long Id { get; set; }

    /// <summary>The customer who placed the order.</summary>
    public long CliCustomerId { get; set; }

    /// <summary>The order's total.</summary>
    public decimal Total { get; set; }
}
