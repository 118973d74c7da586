namespace Premix.Tests.CliModel;

/// <summary>A customer: the parent entity of the command-line tests' model.</summary>
public sealed class CliCustomer
{
    /// <summary>The generated key.</summary>
    public long Id { get; set; }

    /// <summary>The customer's name, at most 100 characters.</summary>
    public string Name { get; set; } = "";
}
