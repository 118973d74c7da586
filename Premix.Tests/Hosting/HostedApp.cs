using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using MySqlConnector;
using Npgsql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Hosting;

/// <summary>What the hosting tests share: a host builder over an in-memory configuration, and a database nobody can reach.</summary>
internal static class HostedApp
{
    /// <summary>An empty host builder (no appsettings, no environment variables) whose configuration is <paramref name="settings"/>.</summary>
    public static HostApplicationBuilder Builder(IDictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    /// <summary>A started host with Premix database "main" of <paramref name="engine"/> and its health checks (live and ready).</summary>
    public static async Task<IHost> StartWithHealthChecksAsync(Engine engine, string connectionString, Action<PremixOptionsBuilder> configure, Action<PremixHealthCheckOptions>? checks = null)
    {
        var builder = Builder(new Dictionary<string, string?>
        {
            ["Premix:main:Provider"] = engine.ToString(),
            ["ConnectionStrings:main"] = connectionString,
        });
        builder.Services.AddHealthChecks().AddPremixHealthChecks(checks); // before AddPremix: the order does not matter
        builder.AddPremix("main", configure);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Runs the host's health checks, those tagged <paramref name="tag"/> when given.</summary>
    public static Task<HealthReport> CheckHealthAsync(IHost host, string? tag = null) =>
        host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => tag is null || c.Tags.Contains(tag));

    /// <summary>
    /// A connection string of <paramref name="engine"/> that cannot connect: the server's address with a port nothing
    /// listens on, or on SQLite a file in a folder that does not exist (SQLite creates files, not folders).
    /// </summary>
    public static string Unreachable(Engine engine, string connectionString) => engine switch
    {
        Engine.PostgreSql => new NpgsqlConnectionStringBuilder(connectionString) { Port = FreePort(), Timeout = 3 }.ConnectionString,
        Engine.MySql => new MySqlConnectionStringBuilder(connectionString) { Port = (uint)FreePort(), ConnectionTimeout = 3 }.ConnectionString,
        _ => new SqliteConnectionStringBuilder { DataSource = Path.Combine(Path.GetTempPath(), "premix-missing-" + Guid.NewGuid().ToString("N"), "app.db") }.ToString(),
    };

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
