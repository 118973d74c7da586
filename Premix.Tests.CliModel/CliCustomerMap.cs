using Premix.Mapping;

namespace Premix.Tests.CliModel;

/// <summary>Maps <see cref="CliCustomer"/>; the table is named by the naming convention the tool is given.</summary>
public sealed class CliCustomerMap : ModelConfiguration<CliCustomer>
{
    /// <inheritdoc />
    public override void Configure(EntityBuilder<CliCustomer> entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        entity.Property(c => c.Name).HasMaxLength(100);
    }
}
