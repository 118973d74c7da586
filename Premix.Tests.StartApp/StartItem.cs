namespace Premix.Tests.StartApp;

/// <summary>A row of start_items, which the test creates.</summary>
public sealed class StartItem
{
    /// <summary>The key.</summary>
    public long Id { get; set; }

    /// <summary>A name, at most 50 characters.</summary>
    public string Name { get; set; } = "";
}
