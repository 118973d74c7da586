using System.Diagnostics.Metrics;

namespace Premix.Tests.Replicas;

/// <summary>Counts the routing decisions Premix publishes (<see cref="PremixDiagnostics.ReadRoutes"/>) while it lives.</summary>
internal sealed class RouteCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _reasons = new();
    private int _replica;
    private int _primary;

    public RouteCounter()
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
            string? target = null, reason = null;
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
