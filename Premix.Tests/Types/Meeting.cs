using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>Times of every kind on one row: UTC instants as DateTime, an instant with an offset, and a wall-clock time.</summary>
public sealed class Meeting
{
    public long Id { get; set; }

    /// <summary>A UTC instant (StoredAsUtc or a column type that keeps instants).</summary>
    public DateTime StartsAt { get; set; }

    /// <summary>An optional UTC instant.</summary>
    public DateTime? EndsAt { get; set; }

    public DateTimeOffset BookedAt { get; set; }

    /// <summary>A wall-clock time, mapped by default.</summary>
    public DateTime DoorsOpen { get; set; }
}

/// <summary>How a test maps the UTC instants of <see cref="Meeting"/>.</summary>
public enum InstantMapping
{
    /// <summary><c>StoredAsUtc()</c>, on every engine.</summary>
    StoredAsUtc,

    /// <summary>
    /// <c>HasColumnType</c> naming the column's real type: <c>timestamptz</c> on PostgreSQL, which alone makes it an instant;
    /// MySQL's and SQLite's types keep no instant, so there it goes with <c>StoredAsUtc()</c>.
    /// </summary>
    DeclaredColumnType,

    /// <summary>
    /// <c>StoredAsUtc()</c> on a column declared with a type that keeps no zone (PostgreSQL's <c>timestamp</c>): the common
    /// "UTC in a timestamp column" schema.
    /// </summary>
    UtcInWallClockColumn,

    /// <summary>Nothing said: the default mapping, wall-clock time.</summary>
    WallClock,
}

public sealed class MeetingMap(Engine engine, InstantMapping instants, Action<EntityBuilder<Meeting>>? more = null) : ModelConfiguration<Meeting>
{
    public const string Table = "ts_meetings";

    /// <summary>The column type the mapping declares or Premix chooses for the instants, as a message names it.</summary>
    public string InstantColumnType => (engine, instants) switch
    {
        (Engine.PostgreSql, InstantMapping.DeclaredColumnType) => "timestamptz",
        (Engine.PostgreSql, InstantMapping.StoredAsUtc) => "timestamp(6) with time zone",
        (Engine.PostgreSql, InstantMapping.UtcInWallClockColumn) => "timestamp",
        (Engine.PostgreSql, _) => "timestamp(6) without time zone",
        (Engine.MySql, _) => "DATETIME(6)",
        _ => "TEXT",
    };

    public override void Configure(EntityBuilder<Meeting> e)
    {
        e.ToTable(Table);
        foreach (var property in new PropertyBuilder[] { e.Property(m => m.StartsAt), e.Property(m => m.EndsAt) })
        {
            switch (instants)
            {
                case InstantMapping.StoredAsUtc:
                    property.StoredAsUtc();
                    break;
                case InstantMapping.DeclaredColumnType when engine == Engine.PostgreSql:
                    property.HasColumnType(InstantColumnType);
                    break;
                case InstantMapping.DeclaredColumnType or InstantMapping.UtcInWallClockColumn:
                    property.HasColumnType(InstantColumnType).StoredAsUtc();
                    break;
            }
        }

        more?.Invoke(e);
    }
}
