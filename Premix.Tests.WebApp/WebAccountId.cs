namespace Premix.Tests.WebApp;

/// <summary>A strongly typed id of <see cref="WebLedger"/>'s account.</summary>
/// <param name="Value">The account number.</param>
public readonly record struct WebAccountId(long Value);
