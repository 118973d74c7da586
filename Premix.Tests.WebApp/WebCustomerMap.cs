using Premix.Mapping;

namespace Premix.Tests.WebApp;

/// <summary>Maps <see cref="WebCustomer"/>; its table and columns are named by the application's snake-case convention.</summary>
public sealed class WebCustomerMap : ModelConfiguration<WebCustomer>
{
    /// <inheritdoc />
    public override void Configure(EntityBuilder<WebCustomer> entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        entity.Property(c => c.FullName).HasMaxLength(100);
    }
}
