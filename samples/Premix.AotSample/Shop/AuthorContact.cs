namespace AotShop;

/// <summary>A raw row the sample registers no row reader for: native AOT refuses to fetch it, naming the fix.</summary>
public sealed class AuthorContact
{
    /// <summary>The author's key.</summary>
    public long Id { get; set; }

    /// <summary>The author's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The author's e-mail address.</summary>
    public string Email { get; set; } = "";
}
