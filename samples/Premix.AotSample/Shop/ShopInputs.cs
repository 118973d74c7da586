namespace AotShop;

/// <summary>The body of a create or update of an author; an update without an address clears it.</summary>
public sealed record AuthorInput(string Name, string Email, PostalAddress? Address = null);

/// <summary>The body of a create or update of a book.</summary>
public sealed record BookInput(long AuthorId, string Title, decimal Price);

/// <summary>One sale of a batch.</summary>
public sealed record SaleInput(long BookId, int Quantity, long AmountCents, int? Rating, DateTime SoldAt, decimal UnitPrice);

/// <summary>The body of a create or update of a sale line (the key parts are ignored by an update).</summary>
public sealed record LineInput(long SaleId, int Line, string Item, int Quantity);
