using Premix.Diagnostics;
using Premix.Execution;
using Premix.Providers;

namespace Premix.Migrations;

/// <summary>
/// Spans and measurements for the statements of a schema sync or a migration run, like those of every other Premix
/// statement (docs/observability.md). The run sets its engine and database for the flow it runs in (an
/// <see cref="AsyncLocal{T}"/>, as <see cref="System.Diagnostics.Activity.Current"/> is), so the statements, issued
/// deep in the providers' public dialects, are traced without every signature carrying a telemetry context.
/// </summary>
internal static class MigrationTracing
{
    private static readonly AsyncLocal<TelemetryContext?> Current = new();

    /// <summary>Traces the statements run until the returned scope is disposed as statements of <paramref name="provider"/>'s database.</summary>
    public static Scope Begin(IDatabaseProvider provider)
    {
        var outer = Current.Value;
        Current.Value = new TelemetryContext(provider.Name, provider.Target, new Dictionary<string, string>());
        return new Scope(outer);
    }

    /// <summary>Runs one statement (<paramref name="operation"/> names it: <c>Sync</c>, <c>Migrate</c>, <c>MigrationHistory</c>) under a span.</summary>
    public static async Task<T> TraceAsync<T>(string operation, string sql, Func<Task<T>> run)
    {
        if (Current.Value is not { } telemetry)
        {
            return await run().ConfigureAwait(false);
        }

        var trace = telemetry.Start(new Command(operation, null, sql, null));
        try
        {
            var result = await run().ConfigureAwait(false);
            trace.Succeeded(result is int rows ? rows : -1);
            return result;
        }
        catch (Exception e)
        {
            trace.Failed(e, e.Message);
            throw;
        }
    }

    /// <summary>Ends the tracing a <see cref="Begin"/> started, restoring any outer one.</summary>
    public readonly struct Scope(TelemetryContext? outer) : IDisposable
    {
        public void Dispose() => Current.Value = outer;
    }
}
