namespace Premix.Tests.WebApp;

/// <summary>A customer of the web application.</summary>
public sealed class WebCustomer
{
    /// <summary>The generated key.</summary>
    public long Id { get; set; }

    /// <summary>The customer's full name, at most 100 characters.</summary>
    public string FullName { get; set; } = "";
}
