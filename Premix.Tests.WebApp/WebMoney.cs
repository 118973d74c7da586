namespace Premix.Tests.WebApp;

/// <summary>An amount in a currency, stored as a value object of <see cref="WebLedger"/>.</summary>
/// <param name="Amount">The amount.</param>
/// <param name="Currency">The ISO currency code.</param>
public sealed record WebMoney(decimal Amount, string Currency);
