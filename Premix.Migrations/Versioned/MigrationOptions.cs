using Microsoft.Extensions.Logging;

namespace Premix.Migrations;

/// <summary>How versioned migrations run: the history table, how long to wait for another migrator, and where to report.</summary>
public sealed class MigrationOptions
{
    /// <summary>
    /// The history table, created on first use in the connection's current schema or database; <c>premix_migrations</c>
    /// by default. One identifier, quoted as given: not schema-qualified.
    /// </summary>
    public string HistoryTable { get; init; } = "premix_migrations";

    /// <summary>How long to wait while another migrator holds the lock before giving up; 5 minutes by default.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Where migrations log (<see cref="MigrationEventId"/>); nothing is logged when <see langword="null"/>.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>
    /// Told when each migration starts, completes or fails, for a command-line tool's output. Reports arrive on the
    /// migrating thread, in order, when the implementation is synchronous (<see cref="Progress{T}"/> posts them to its
    /// synchronization context instead).
    /// </summary>
    public IProgress<MigrationProgress>? Progress { get; init; }

    /// <summary>How error messages say what to do next: name the methods to call, or the <c>premix</c> commands to run.</summary>
    internal MigrationAdvice Advice { get; init; } = MigrationAdvice.Api;
}
