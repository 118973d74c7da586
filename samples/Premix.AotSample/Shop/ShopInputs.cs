namespace AotShop;

/// <summary>The body of a create or update of an author.</summary>
public sealed record AuthorInput(string Name, string Email);

/// <summary>The body of a create or update of a book.</summary>
public sealed record BookInput(long AuthorId, string Title, decimal Price);
