using System.Data.Common;
using System.Globalization;

namespace Premix.Tenancy;

/// <summary>
/// The server a tenant database's connection string names, and nothing else of it: "reached before" is remembered by
/// server, so what is kept is bounded by the servers (a string rebuilt per call with a rotating password or token adds
/// nothing), holds no credentials, and a tenant opened for the first time on a server another tenant reached gets the same
/// <see cref="ResilienceOptions.MaxUnavailableTime"/> window.
/// </summary>
internal static class ServerAddress
{
    // The host keywords of Npgsql and MySqlConnector with their synonyms (a file's path for Microsoft.Data.Sqlite).
    private static readonly string[] HostKeywords = ["Host", "Server", "Data Source", "DataSource", "Address", "Addr", "Network Address"];

    /// <summary>
    /// The hosts as "host:port" (lower case, sorted, comma separated; a host that names its own port keeps it), or null when
    /// the string cannot be read as keyword=value pairs (then nothing is remembered for it).
    /// </summary>
    public static string? Of(string connectionString)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            return null;
        }

        var hosts = HostKeywords.Select(keyword => builder.TryGetValue(keyword, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) : null)
            .FirstOrDefault(value => !string.IsNullOrWhiteSpace(value)) ?? string.Empty;
        var port = builder.TryGetValue("Port", out var given) ? Convert.ToString(given, CultureInfo.InvariantCulture)?.Trim() : null;
        var servers = hosts.Split(',')
            .Select(host => host.Trim().ToLowerInvariant())
            .Select(host => host.Contains(':', StringComparison.Ordinal) ? host : $"{host}:{port}") // "host:port" as Npgsql's multi-host lists give it
            .Order(StringComparer.Ordinal);
        return string.Join(",", servers);
    }
}
