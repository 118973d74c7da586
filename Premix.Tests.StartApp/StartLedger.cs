namespace Premix.Tests.StartApp;

/// <summary>A row of start_ledgers, whose balance is a value object (DynamicCodeOffValueObjectTests).</summary>
public sealed class StartLedger
{
    /// <summary>The generated key.</summary>
    public long Id { get; set; }

    /// <summary>A name, at most 50 characters.</summary>
    public string Name { get; set; } = "";

    /// <summary>The balance, a value object; <see langword="null"/> when the ledger has none.</summary>
    public StartMoney? Balance { get; set; }
}

/// <summary>An amount in a currency, stored in <see cref="StartLedger"/>'s table.</summary>
/// <param name="Amount">The amount (a value type, read as <c>decimal?</c> since the ledger may hold no balance).</param>
/// <param name="Currency">The ISO currency code.</param>
/// <param name="Entries">How many entries made the amount (a value type too).</param>
public sealed record StartMoney(decimal Amount, string Currency, int Entries);
