using Premix.Mapping;

namespace Premix.Tests.StartApp;

/// <summary>Maps <see cref="StartRoom"/> to start_rooms, with its lamps.</summary>
public sealed class StartRoomMap : ModelConfiguration<StartRoom>
{
    /// <inheritdoc />
    public override void Configure(EntityBuilder<StartRoom> entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        entity.ToTable("start_rooms");
        entity.HasKey(r => r.Id).IsClientAssigned();
        entity.Property(r => r.Name).HasMaxLength(20);
        entity.HasMany(r => r.Lamps).WithForeignKey(l => l.RoomId);
    }
}

/// <summary>
/// Maps <see cref="StartLamp"/> to start_lamps with three named query filters, one of each kind of value generated code
/// reads: none (lit), a public static property read on every query (brand) and a readonly field of the map (watts).
/// </summary>
public sealed class StartLampMap : ModelConfiguration<StartLamp>
{
    private readonly int _minimum = 10;

    /// <inheritdoc />
    public override void Configure(EntityBuilder<StartLamp> entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        entity.ToTable("start_lamps");
        entity.HasKey(l => l.Id).IsClientAssigned();
        entity.Property(l => l.Name).HasMaxLength(20);
        entity.Property(l => l.Brand).HasMaxLength(20);
        entity.HasQueryFilter("lit", l => l.IsLit);
        entity.HasQueryFilter("brand", l => l.Brand == StartLampScope.Brand);
        entity.HasQueryFilter("watts", l => l.Watts >= _minimum);
    }
}
