using Microsoft.Extensions.Logging;

namespace Premix.Migrations;

/// <summary>The stable event ids of versioned migrations' log events, for filtering and alerting.</summary>
public static class MigrationEventId
{
    /// <summary>A migration was applied (Information): version, name and duration.</summary>
    public static readonly EventId MigrationApplied = new(2100, nameof(MigrationApplied));

    /// <summary>A migration was reverted by its Down section (Information): version, name and duration.</summary>
    public static readonly EventId MigrationReverted = new(2101, nameof(MigrationReverted));

    /// <summary>A migration failed (Error): file, whether it was rolled back or left half-applied, and the database's error.</summary>
    public static readonly EventId MigrationFailed = new(2102, nameof(MigrationFailed));

    /// <summary>The migration lock was taken (Debug), after waiting for another migrator if one held it.</summary>
    public static readonly EventId LockAcquired = new(2103, nameof(LockAcquired));

    /// <summary>A failed migration was repaired (Warning): forgotten or marked applied.</summary>
    public static readonly EventId MigrationRepaired = new(2104, nameof(MigrationRepaired));

    /// <summary>A database built without migrations was adopted (Warning): how many migrations were recorded as applied, up to which version.</summary>
    public static readonly EventId MigrationsBaselined = new(2105, nameof(MigrationsBaselined));

    /// <summary>A migration another migrator applied or reverted while this one waited for the lock was skipped (Information).</summary>
    public static readonly EventId MigrationDoneMeanwhile = new(2106, nameof(MigrationDoneMeanwhile));
}
