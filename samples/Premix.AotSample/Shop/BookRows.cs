namespace AotShop;

/// <summary>A book's title and price, read by a <c>Select</c> into a class with settable properties.</summary>
public sealed class BookTitle
{
    /// <summary>The title.</summary>
    public string Title { get; set; } = "";

    /// <summary>The price.</summary>
    public decimal Price { get; set; }
}

/// <summary>A book's key and title, read by a <c>Select</c> into a record's constructor.</summary>
public sealed record BookLine(long Id, string Title);

/// <summary>The prices a query keeps, captured by the <c>Where</c> as an object whose members it reads.</summary>
public sealed record PriceRange(decimal Min, decimal Max);

/// <summary>A lowest price, made in a query's lambda without a constructor (<c>new PriceFloor()</c>): refused under native AOT.</summary>
public readonly record struct PriceFloor(decimal Min);
