namespace Premix;

/// <summary>
/// The names under which Premix publishes traces and metrics, for subscribing with OpenTelemetry
/// (<c>AddSource(PremixDiagnostics.ActivitySourceName)</c>, <c>AddMeter(PremixDiagnostics.MeterName)</c>).
/// docs/observability.md lists every span and instrument.
/// </summary>
public static class PremixDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of Premix: a span per statement and per commit.</summary>
    public const string ActivitySourceName = "Premix";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of Premix.</summary>
    public const string MeterName = "Premix";

    /// <summary>Histogram of statement durations, in seconds (OpenTelemetry's <c>db.client.operation.duration</c>).</summary>
    public const string OperationDuration = "db.client.operation.duration";

    /// <summary>Counter of rows read by queries and written by statements.</summary>
    public const string Rows = "premix.rows";

    /// <summary>Counter of statements that failed, by <c>error.type</c>.</summary>
    public const string Errors = "premix.errors";

    /// <summary>Counter of committed units of work.</summary>
    public const string Commits = "premix.commits";

    /// <summary>Counter of units of work rolled back after an error.</summary>
    public const string Rollbacks = "premix.rollbacks";

    /// <summary>Counter of optimistic-concurrency conflicts (<see cref="ConcurrencyException"/>).</summary>
    public const string Conflicts = "premix.conflicts";

    /// <summary>Up-down counter of the connections Premix holds open right now (taken from the driver's pool).</summary>
    public const string ActiveConnections = "premix.connections.active";

    /// <summary>Counter: reads and commits tried again after a transient error; tagged with <c>premix.retry.operation</c> and <c>error.type</c>.</summary>
    public const string Retries = "premix.retries";

    /// <summary>
    /// Counter of reads outside a transaction routed with read replicas configured, tagged <c>premix.read.target</c>
    /// (<c>replica</c> or <c>primary</c>) and <c>premix.read.reason</c> (why: the token met, the replica behind, down, lagging...).
    /// </summary>
    public const string ReadRoutes = "premix.read.routes";
}
