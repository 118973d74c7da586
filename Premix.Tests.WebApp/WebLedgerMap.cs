using Premix.Mapping;

namespace Premix.Tests.WebApp;

/// <summary>
/// Maps <see cref="WebLedger"/>: its balance as a value object (<c>Owns</c>) when <paramref name="ownsBalance"/>, else ignored.
/// Its constructor takes an argument, so the assembly scan skips it: only <c>Premix:DynamicCodeOffModel</c> adds it.
/// </summary>
public sealed class WebLedgerMap(bool ownsBalance) : ModelConfiguration<WebLedger>
{
    /// <inheritdoc />
    public override void Configure(EntityBuilder<WebLedger> entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (ownsBalance)
        {
            entity.Owns(l => l.Balance);
        }
        else
        {
            entity.Ignore(l => l.Balance);
        }
    }
}
