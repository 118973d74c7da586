namespace AotShop;

/// <summary>
/// An author's postal address: a value object (<c>Owns</c>) stored in the author's own row, one column per member
/// (<c>address_street</c>, <c>address_city</c>, <c>address_region</c>, <c>address_floor</c>). Made through its constructor by
/// the generated row reader; the floor, a value type, is read as <c>int?</c>, which the generated model names for native AOT.
/// </summary>
/// <param name="Street">The street and number.</param>
/// <param name="City">The city.</param>
/// <param name="Region">The region, where the country has them; NULL otherwise.</param>
/// <param name="Floor">The floor (0 for the ground floor).</param>
public sealed record PostalAddress(string Street, string City, string? Region, int Floor);
