using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// Listens to Premix's activity source and meter while it lives. Fixtures run in parallel and listeners are
/// process-wide, so everything is kept and read back filtered by the fixture's database (<c>db.namespace</c>).
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters = new();

    public TelemetryCapture()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PremixDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_activities);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PremixDiagnostics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _measurements.Enqueue(new(instrument.Name, value, tags.ToArray())));
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue(new(instrument.Name, value, tags.ToArray())));
        _meters.Start();
    }

    /// <summary>The spans that ended for database <paramref name="database"/>, in the order they ended.</summary>
    public IReadOnlyList<Activity> Spans(string database) =>
        _spans.Where(a => Equals(a.GetTagItem("db.namespace"), database)).ToList();

    /// <summary>The measurements of <paramref name="instrument"/> for database <paramref name="database"/>.</summary>
    public IReadOnlyList<Measurement> Measurements(string instrument, string database) =>
        _measurements.Where(m => m.Instrument == instrument && Equals(m.Tag("db.namespace"), database)).ToList();

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }

    public sealed record Measurement(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)
    {
        public object? Tag(string name) => Tags.FirstOrDefault(t => t.Key == name).Value;
    }
}
