using Premix.Mapping;

namespace Premix.Tests.StartApp;

/// <summary>Maps <see cref="StartLedger"/> to start_ledgers, its balance as a value object (<c>Owns</c>).</summary>
public sealed class StartLedgerMap : ModelConfiguration<StartLedger>
{
    /// <inheritdoc />
    public override void Configure(EntityBuilder<StartLedger> entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        entity.ToTable("start_ledgers");
        entity.Property(l => l.Name).HasMaxLength(50);
        entity.Owns(l => l.Balance, b => b.Property(m => m.Currency).HasMaxLength(3));
    }
}
