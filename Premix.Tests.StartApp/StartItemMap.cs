using Premix.Mapping;

namespace Premix.Tests.StartApp;

/// <summary>Maps <see cref="StartItem"/> to start_items (snake-case names, the key given by the row).</summary>
public sealed class StartItemMap : ModelConfiguration<StartItem>
{
    /// <inheritdoc />
    public override void Configure(EntityBuilder<StartItem> entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        entity.ToTable("start_items");
        entity.Property(i => i.Name).HasMaxLength(50);
    }
}
