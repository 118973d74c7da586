namespace Premix.Tests.Failover;

/// <summary>
/// A primary and the standby or replica promoted when it fails, which <c>build/test-databases.sh start</c> runs apart from
/// the shared servers (<see cref="FailoverPair"/> on PostgreSQL, <see cref="MariaDbFailoverPair"/> on MariaDB), with the
/// script that resets, kills and promotes them. Server 1 is the first primary, server 2 the one promoted.
/// </summary>
public interface IFailoverPair
{
    /// <summary>Runs <paramref name="action"/> (<c>reset</c>, <c>kill-primary</c>, <c>promote</c>, <c>status</c>, ...) and returns what it printed.</summary>
    Task<string> ControlAsync(string action);

    /// <summary>The host and port of server <paramref name="server"/> (1 or 2).</summary>
    (string Host, int Port) Address(int server);

    /// <summary>Creates the table of <see cref="Infrastructure.ReferenceNote"/> on the primary, after a reset.</summary>
    Task CreateReferenceNotesAsync();

    /// <summary>The <c>Reference</c> of every row of <see cref="Infrastructure.ReferenceNote"/>'s table on server <paramref name="server"/> (one per row), through plain SQL.</summary>
    Task<List<string>> ReferencesAsync(int server);
}
