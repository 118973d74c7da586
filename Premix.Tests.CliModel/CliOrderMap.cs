using Premix.Mapping;

namespace Premix.Tests.CliModel;

/// <summary>Maps <see cref="CliOrder"/> with a foreign key to its customer.</summary>
public sealed class CliOrderMap : ModelConfiguration<CliOrder>
{
    /// <inheritdoc />
    public override void Configure(EntityBuilder<CliOrder> entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        entity.Property(o => o.Total).HasPrecision(12, 2);
        entity.BelongsTo<CliCustomer>().WithForeignKey(o => o.CliCustomerId);
    }
}
