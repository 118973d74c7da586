namespace AotShop;

/// <summary>A line of a sale, keyed by the sale and its number (a composite key), with notes loaded by <c>Include</c>.</summary>
public sealed class SaleLine
{
    /// <summary>The sale's key, the first part of the key.</summary>
    public long SaleId { get; set; }

    /// <summary>The line's number in its sale, the second part of the key.</summary>
    public int Line { get; set; }

    /// <summary>What was sold.</summary>
    public string Item { get; set; } = "";

    /// <summary>How many.</summary>
    public int Quantity { get; set; }

    /// <summary>The line's notes, found by both parts of its key.</summary>
    public List<LineNote> Notes { get; set; } = [];
}
