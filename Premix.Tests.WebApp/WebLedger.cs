namespace Premix.Tests.WebApp;

/// <summary>
/// A ledger with a strongly typed account id and a value object: features the model build refuses while dynamic code is off
/// (DynamicCodeOffStartTests), mapped only when <c>Premix:DynamicCodeOffModel</c> asks for it.
/// </summary>
public sealed class WebLedger
{
    /// <summary>The generated key.</summary>
    public long Id { get; set; }

    /// <summary>The account, a strongly typed id.</summary>
    public WebAccountId Account { get; set; }

    /// <summary>The balance, a value object.</summary>
    public WebMoney? Balance { get; set; }
}
