namespace Premix.Tests.WebApp;

/// <summary>An order of a <see cref="WebCustomer"/>.</summary>
public sealed class WebOrder
{
    /// <summary>The generated key.</summary>
    public long Id { get; set; }

    /// <summary>The customer who placed the order.</summary>
    public long WebCustomerId { get; set; }

    /// <summary>The order's total.</summary>
    public decimal TotalAmount { get; set; }
}
