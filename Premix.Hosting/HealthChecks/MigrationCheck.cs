using Premix.Migrations;

namespace Premix;

/// <summary>The shipped migrations a readiness check reads (<see cref="PremixHealthCheckOptions.CheckMigrations"/>).</summary>
/// <remarks>
/// A class, not a value tuple: the health-check registration holds it, and a tuple of Premix.Migrations types would load
/// that assembly when the registrations are made, at the host's start, although only a readiness probe reads it.
/// </remarks>
internal sealed class MigrationCheck(MigrationSource source, MigrationOptions? options)
{
    public MigrationSource Source { get; } = source;

    public MigrationOptions? Options { get; } = options;
}
