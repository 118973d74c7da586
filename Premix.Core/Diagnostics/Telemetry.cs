using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Premix.Diagnostics;

/// <summary>The process-wide activity source and instruments of Premix (created once; cheap when nobody listens).</summary>
internal static class Telemetry
{
    private static readonly string Version = typeof(Telemetry).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    public static readonly ActivitySource Source = new(PremixDiagnostics.ActivitySourceName, Version);

    public static readonly Meter Meter = new(PremixDiagnostics.MeterName, Version);

    // Buckets from OpenTelemetry's database conventions, in seconds.
    public static readonly Histogram<double> Duration = Meter.CreateHistogram(
        PremixDiagnostics.OperationDuration, "s", "Duration of database statements.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10] });

    // The overloads taking tags, with the null the shorter ones pass (not declared nullable): the shorter ones only call
    // them, one more method each for the JIT to compile at the first statement (ReadyToRun cannot precompile
    // DiagnosticSource's generic code over long for Premix).
    private static readonly IEnumerable<KeyValuePair<string, object?>> NoTags = null!;

    public static readonly Counter<long> Rows = Meter.CreateCounter<long>(PremixDiagnostics.Rows, "{row}", "Rows read or written by statements.", tags: NoTags);

    public static readonly Counter<long> Errors = Meter.CreateCounter<long>(PremixDiagnostics.Errors, "{error}", "Statements that failed.", tags: NoTags);

    public static readonly Counter<long> Commits = Meter.CreateCounter<long>(PremixDiagnostics.Commits, "{commit}", "Units of work committed.", tags: NoTags);

    public static readonly Counter<long> Rollbacks = Meter.CreateCounter<long>(PremixDiagnostics.Rollbacks, "{rollback}", "Units of work rolled back after an error.", tags: NoTags);

    public static readonly Counter<long> Conflicts = Meter.CreateCounter<long>(PremixDiagnostics.Conflicts, "{conflict}", "Optimistic-concurrency conflicts.", tags: NoTags);

    public static readonly UpDownCounter<long> ActiveConnections = Meter.CreateUpDownCounter<long>(PremixDiagnostics.ActiveConnections, "{connection}", "Connections Premix holds open.", tags: NoTags);

    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(PremixDiagnostics.Retries, "{retry}", "Reads and commits tried again after a transient error.", tags: NoTags);

    public static readonly Counter<long> ReadRoutes = Meter.CreateCounter<long>(PremixDiagnostics.ReadRoutes, "{read}", "Reads routed to a read replica or the primary, and why.", tags: NoTags);

    /// <summary>Counts a retry of <paramref name="operation"/> (<c>read</c> or <c>commit</c>) after <paramref name="error"/>.</summary>
    public static void Retried(TelemetryContext context, string operation, Exception error)
    {
        if (!Retries.Enabled)
        {
            return;
        }

        var tags = context.DatabaseTags();
        tags.Add("premix.retry.operation", operation);
        tags.Add("error.type", (error.InnerException ?? error).GetType().FullName);
        Retries.Add(1, tags);
    }

    // The Enabled checks below skip building tags nobody reads, and with them the JIT's compilation of the instruments'
    // Add and their tag spans on the first connection, which ReadyToRun cannot precompile either.

    /// <summary>Counts a connection Premix opened (+1) or closed (-1).</summary>
    public static void ConnectionHeld(TelemetryContext context, int delta)
    {
        if (ActiveConnections.Enabled)
        {
            ActiveConnections.Add(delta, context.DatabaseTags());
        }
    }

    /// <summary>Counts a commit, rollback or conflict.</summary>
    public static void Count(Counter<long> counter, TelemetryContext context)
    {
        if (counter.Enabled)
        {
            counter.Add(1, context.DatabaseTags());
        }
    }
}
