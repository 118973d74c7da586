using System.Diagnostics.Metrics;

namespace Premix.Tests.Replicas;

/// <summary>
/// Counts the routing decisions Premix publishes (<see cref="PremixDiagnostics.ReadRoutes"/>) for one database while it
/// lives: the listener hears the whole process, where the other engine's replica fixture may be routing at the same time.
/// </summary>
internal sealed class RouteCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _reasons = new();
    private int _replica;
    private int _primary;

    public RouteCounter(string database)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PremixDiagnostics.MeterName && instrument.Name == PremixDiagnostics.ReadRoutes)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? target = null, reason = null, measuredDatabase = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "premix.read.target")
                {
                    target = tag.Value as string;
                }
                else if (tag.Key == "premix.read.reason")
                {
                    reason = tag.Value as string;
                }
                else if (tag.Key == "db.namespace")
                {
                    measuredDatabase = tag.Value as string;
                }
            }

            if (measuredDatabase != database)
            {
                return;
            }

            Interlocked.Increment(ref target == "replica" ? ref _replica : ref _primary);
            _reasons.Enqueue($"{target}: {reason}");
        });
        _listener.Start();
    }

    public int Replica => _replica;

    public int Primary => _primary;

    public IReadOnlyList<string> Reasons => [.. _reasons];

    public void Dispose() => _listener.Dispose();
}
