using System.Net;
using System.Net.Sockets;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Premix.Sample;

/// <summary>
/// Premix's metrics exported for Prometheus through OpenTelemetry, on a local /metrics endpoint (a free port, so the
/// sample runs anywhere). docs/observability.md lists the instruments.
/// </summary>
internal sealed class PrometheusMetrics : IDisposable
{
    private readonly MeterProvider _provider;

    public PrometheusMetrics()
    {
        var port = FreePort();
        Endpoint = new Uri($"http://localhost:{port}/");
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(PremixDiagnostics.MeterName)
            .AddPrometheusHttpListener(o =>
            {
                o.Host = "localhost";
                o.Port = port;
                o.ScrapeResponseCacheDurationMilliseconds = 0; // the sample scrapes once, right after its workload
            })
            .Build();
    }

    public Uri Endpoint { get; }

    /// <summary>Scrapes the endpoint as Prometheus would and returns the Premix series.</summary>
    public async Task<IReadOnlyList<string>> ScrapeAsync()
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(Endpoint, "metrics")).ConfigureAwait(false);
        return text.Split('\n').Where(l => l.StartsWith("premix_", StringComparison.Ordinal) || l.StartsWith("db_client_operation_duration_seconds_count", StringComparison.Ordinal)).ToList();
    }

    public void Dispose() => _provider.Dispose();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
