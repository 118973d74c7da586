using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Premix.Sample;

/// <summary>
/// Premix's metrics exported for Prometheus through OpenTelemetry, on a local /metrics endpoint (a free port, so the
/// sample runs anywhere). docs/observability.md lists the instruments.
/// </summary>
internal sealed partial class PrometheusMetrics : IDisposable
{
    private readonly MeterProvider _provider;

    public PrometheusMetrics()
    {
        var port = FreePort();
        Endpoint = new Uri($"http://localhost:{port}/metrics");
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

    /// <summary>
    /// Scrapes the endpoint as Prometheus would and sums the series per operation: statements run and rows they touched,
    /// then the commits. Every series also names the engine and the database (db_system_name, db_namespace: for SQLite
    /// the file's full path), which makes the raw text too wide to read here.
    /// </summary>
    public async Task<IReadOnlyList<string>> SummariseAsync()
    {
        using var http = new HttpClient();
        var series = (await http.GetStringAsync(Endpoint).ConfigureAwait(false)).Split('\n').Select(Parse).OfType<Series>().ToList();
        double Sum(string metric, string? operation = null) =>
            series.Where(s => s.Name == metric && (operation is null || s.Operation == operation)).Sum(s => s.Value);

        var lines = new List<string> { $"  {"operation",-10}{"statements",12}{"rows",7}" };
        foreach (var operation in series.Where(s => s.Operation is not null).Select(s => s.Operation!).Distinct())
        {
            lines.Add(FormattableString.Invariant($"  {operation,-10}{Sum(StatementCount, operation),12}{Sum("premix_rows_total", operation),7}"));
        }

        lines.Add(FormattableString.Invariant($"  {Sum("premix_commits_total")} commits, {Sum("premix_rollbacks_total")} rollbacks, {Sum("premix_errors_total")} errors"));
        return lines;
    }

    public void Dispose() => _provider.Dispose();

    private const string StatementCount = "db_client_operation_duration_seconds_count";

    // One line of the Prometheus text format: name{label="value",...} value. Comments (# HELP, # TYPE) are skipped.
    private static Series? Parse(string line)
    {
        var match = SeriesLine().Match(line);
        if (!match.Success)
        {
            return null;
        }

        var operation = OperationLabel().Match(match.Groups["labels"].Value);
        return new Series(match.Groups["name"].Value, operation.Success ? operation.Groups[1].Value : null, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("""^(?<name>[a-z_]+)\{(?<labels>.*)\} (?<value>\S+)$""")]
    private static partial Regex SeriesLine();

    [GeneratedRegex("db_operation_name=\"([^\"]*)\"")]
    private static partial Regex OperationLabel();

    private sealed record Series(string Name, string? Operation, double Value);
}
