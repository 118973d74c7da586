using System.Data.Common;
using System.Diagnostics;
using Premix.Execution;

namespace Premix.Diagnostics;

/// <summary>
/// One statement in flight: its start time and span. Ending it records the duration and rows (or the error) on the
/// span and the meter; an error is described by its type and the already scrubbed message, never the driver's own.
/// </summary>
internal readonly struct CommandTrace(TelemetryContext context, Command command, long start, Activity? activity)
{
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(start);

    /// <summary>The statement succeeded, having read or written <paramref name="rows"/> rows (negative: unknown).</summary>
    public void Succeeded(long rows = -1)
    {
        if (Telemetry.Duration.Enabled || Telemetry.Rows.Enabled)
        {
            var tags = context.Tags(command);
            Telemetry.Duration.Record(Elapsed.TotalSeconds, tags);
            if (rows >= 0)
            {
                Telemetry.Rows.Add(rows, tags);
            }
        }

        if (activity is not null)
        {
            if (rows >= 0)
            {
                activity.SetTag("db.response.returned_rows", rows);
            }

            activity.Dispose();
        }
    }

    /// <summary>The statement failed; <paramref name="reason"/> is the scrubbed message.</summary>
    public void Failed(Exception error, string reason)
    {
        var errorType = ErrorType(error);
        if (Telemetry.Duration.Enabled || Telemetry.Errors.Enabled)
        {
            var tags = context.Tags(command);
            tags.Add("error.type", errorType);
            Telemetry.Duration.Record(Elapsed.TotalSeconds, tags);
            Telemetry.Errors.Add(1, tags);
        }

        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, reason);
            activity.SetTag("error.type", errorType);
            if (error is DbException { SqlState: { } state })
            {
                activity.SetTag("db.response.status_code", state);
            }

            activity.Dispose();
        }
    }

    /// <summary>The engine's error code where there is one (PostgreSQL's SQLSTATE), else the exception type.</summary>
    private static string ErrorType(Exception error) => error is DbException { SqlState: { Length: > 0 } state } ? state : error.GetType().FullName ?? error.GetType().Name;
}
