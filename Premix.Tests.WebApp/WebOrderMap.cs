using Premix.Mapping;

namespace Premix.Tests.WebApp;

/// <summary>Maps <see cref="WebOrder"/> with a foreign key to its customer.</summary>
public sealed class WebOrderMap : ModelConfiguration<WebOrder>
{
    /// <inheritdoc />
    public override void Configure(EntityBuilder<WebOrder> entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        entity.Property(o => o.TotalAmount).HasPrecision(12, 2);
        entity.BelongsTo<WebCustomer>().WithForeignKey(o => o.WebCustomerId);
    }
}
