using NpgsqlTypes;
using Premix.Mapping;

namespace Premix.Tests.Types;

/// <summary>An entity with a property of each PostgreSQL range type Premix maps (<see cref="BookingMap"/>), required and optional.</summary>
public sealed class Booking
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public NpgsqlRange<int> Seats { get; set; }

    public NpgsqlRange<long>? Tickets { get; set; }

    public NpgsqlRange<decimal>? Price { get; set; }

    public NpgsqlRange<DateOnly>? Stay { get; set; }

    public NpgsqlRange<DateTime>? Slot { get; set; }

    public NpgsqlRange<DateTimeOffset>? Window { get; set; }
}

public sealed class BookingMap : ModelConfiguration<Booking>
{
    public const string Table = "pg_bookings";

    public override void Configure(EntityBuilder<Booking> e)
    {
        e.ToTable(Table);
        e.Property(b => b.Name).HasMaxLength(40);
    }
}
