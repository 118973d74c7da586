using Premix.Migrations;

namespace Premix;

/// <summary>What <c>AddPremixHealthChecks</c> checks, and how long each check may take.</summary>
public sealed class PremixHealthCheckOptions
{
    private Dictionary<string, MigrationCheck>? _migrations; // made by CheckMigrations: an application without it never needs Premix.Migrations at start

    /// <summary>How long the liveness check (open a connection, <c>SELECT 1</c>) may take before it reports Unhealthy. Default 5 s.</summary>
    public TimeSpan LiveTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether the readiness check compares the schema with the model (the diff of <c>premix diff</c>). Default
    /// <see langword="true"/>. The comparison reads the database's catalog with Dapper's mappers, which are code generated at
    /// run time, so a native AOT application must set it to <see langword="false"/> (<c>AddPremixHealthChecks</c> refuses it
    /// there otherwise); the readiness check then reads only the migration history of <see cref="CheckMigrations"/>.
    /// </summary>
    public bool CheckSchema { get; set; } = true;

    /// <summary>How long the readiness check (compare the schema, read the migration history) may take. Default 30 s.</summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Makes the readiness check of <paramref name="database"/> read the versioned migrations of <paramref name="source"/>:
    /// pending ones report Degraded; a failed or changed one reports Unhealthy.
    /// </summary>
    /// <param name="source">The migrations the application ships (a folder, or <see cref="MigrationSource.Embedded"/>).</param>
    /// <param name="database">The name the database was registered under (<c>AddPremix("main")</c>); null for the default database.</param>
    /// <param name="options">The history table; the default one when null.</param>
    public PremixHealthCheckOptions CheckMigrations(MigrationSource source, string? database = null, MigrationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        (_migrations ??= [])[database ?? string.Empty] = new MigrationCheck(source, options);
        return this;
    }

    /// <summary>The migrations to check for <paramref name="database"/>, if any.</summary>
    internal MigrationCheck? MigrationsOf(PremixDatabaseEntry database)
    {
        if (_migrations is null)
        {
            return null;
        }

        if (database.Key is null && _migrations.TryGetValue(string.Empty, out var forDefault))
        {
            return forDefault;
        }

        return database.Name is not null && _migrations.TryGetValue(database.Name, out var named) ? named : null;
    }
}
