namespace AotShop;

/// <summary>A row of the raw report: an author's name and how many books they have.</summary>
public sealed class AuthorBooks
{
    /// <summary>The author's name.</summary>
    public string Author { get; set; } = "";

    /// <summary>The number of the author's books.</summary>
    public long Books { get; set; }
}
