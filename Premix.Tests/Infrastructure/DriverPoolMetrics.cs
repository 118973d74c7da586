using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// The drivers' own count of the connections a pool has lent out, read from their meters (Npgsql's
/// <c>db.client.connection.count</c>, MySqlConnector's <c>db.client.connections.usage</c>): a view of "given back" that
/// Premix's own counters cannot fake. Create it before the pool opens its first connection, since MySqlConnector
/// reports changes rather than totals.
/// </summary>
internal sealed class DriverPoolMetrics : IDisposable
{
    private const string NpgsqlCount = "db.client.connection.count";
    private const string MySqlConnectorUsage = "db.client.connections.usage";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, string Pool, string State)> _measurements = new();

    public DriverPoolMetrics()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name is NpgsqlCount or MySqlConnectorUsage)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>How many connections of the pool named by <paramref name="applicationName"/> are in use, as its driver counts them.</summary>
    public long UsedConnections(Engine engine, string applicationName)
    {
        switch (engine)
        {
            case Engine.PostgreSql:
                // An observable instrument: measured now, one total per pool and state. The pool is named by its
                // connection string, which carries the application name.
                _listener.RecordObservableInstruments();
                var totals = _measurements.Where(m => m.Instrument == NpgsqlCount && m.State == "used" && m.Pool.Contains("Application Name=" + applicationName, StringComparison.Ordinal)).ToList();
                Assert.That(totals, Is.Not.Empty, $"Npgsql reported no pool for application {applicationName}");
                return totals[^1].Value;

            case Engine.MySql:
                // Changes, +1 when lent and -1 when given back, for the pool MySqlConnector names after the application.
                return _measurements.Where(m => m.Instrument == MySqlConnectorUsage && m.State == "used" && m.Pool == applicationName).Sum(m => m.Value);

            default:
                throw new ArgumentOutOfRangeException(nameof(engine), engine, "Microsoft.Data.Sqlite has no pool meter.");
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string pool = "", state = "";
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case "db.client.connection.pool.name" or "pool.name":
                    pool = tag.Value as string ?? "";
                    break;
                case "db.client.connection.state" or "state":
                    state = tag.Value as string ?? "";
                    break;
            }
        }

        _measurements.Enqueue((instrument.Name, value, pool, state));
    }
}
