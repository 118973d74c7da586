using Premix.Migrations;
using Dapper;
using Microsoft.Extensions.Logging;
using Premix.Mapping;
using MySqlConnector;
using Npgsql;
using Premix.Providers;
using Premix.Providers.MySql;
using Premix.Providers.PostgreSql;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// A provider-matrix fixture that builds Premix on the fixture's database and creates the tables of its model.
/// Assertions go through plain SQL on a separate connection, so the code under test never grades itself.
/// </summary>
public abstract class PremixTest(Engine engine) : ProviderTest(engine)
{
    /// <summary>Builds Premix on the fixture database with the given mapping classes.</summary>
    protected IPremix CreatePremix(Action<PremixOptionsBuilder> configure, ILoggerFactory? loggerFactory = null) =>
        PremixFactory.Create(p => configure(p.UseProvider(Provider)), loggerFactory);

    /// <summary>Builds Premix with <paramref name="configurations"/> and (re)creates their tables, empty.</summary>
    protected Task<IPremix> CreatePremixWithTablesAsync(params ModelConfiguration[] configurations) =>
        CreatePremixWithTablesAsync(null, configurations);

    /// <summary>Builds Premix with <paramref name="configurations"/> logging to <paramref name="loggerFactory"/>, and (re)creates their tables, empty.</summary>
    protected async Task<IPremix> CreatePremixWithTablesAsync(ILoggerFactory? loggerFactory, params ModelConfiguration[] configurations)
    {
        var premix = CreatePremix(
            p =>
            {
                foreach (var configuration in configurations)
                {
                    p.AddModelConfiguration(configuration);
                }
            },
            loggerFactory);
        await RecreateTablesAsync(premix);
        return premix;
    }

    /// <summary>Drops every table of the model, then creates them with the schema sync; add parents' configurations before their children's.</summary>
    protected async Task RecreateTablesAsync(IPremix premix)
    {
        await using (var connection = await OpenConnectionAsync())
        {
            // A subclass of a table-per-hierarchy mapping shares its base's table, dropped in the base's place.
            foreach (var entity in premix.Model.Entities.Where(e => e.Inheritance is not { IsRoot: false }).Reverse())
            {
                await connection.ExecuteAsync($"DROP TABLE IF EXISTS {Q(entity.Table)}");
            }
        }

        await premix.SyncAsync();
    }

    /// <summary>PostgreSQL and MariaDB: a relay to the fixture's server, which can lose an answer on purpose or record what clients send.</summary>
    protected TcpRelay RelayToServer() => Engine == Engine.PostgreSql
        ? new TcpRelay(new NpgsqlConnectionStringBuilder(ConnectionString).Host!, new NpgsqlConnectionStringBuilder(ConnectionString).Port)
        : new TcpRelay(new MySqlConnectionStringBuilder(ConnectionString).Server, (int)new MySqlConnectionStringBuilder(ConnectionString).Port);

    /// <summary>
    /// The fixture's database, reached through <paramref name="relay"/>, in plain text so the relay can see the statements go
    /// by; without <paramref name="pooling"/>, every connection Premix opens is a new one through the relay; with
    /// <paramref name="connectTimeout"/> (whole seconds), the driver's connect timeout (<c>Timeout</c>, <c>Connection Timeout</c>).
    /// </summary>
    protected IDatabaseProvider ProviderThrough(TcpRelay relay, bool pooling = true, int? connectTimeout = null) => Engine == Engine.PostgreSql
        ? new PostgreSqlProvider(ConnectionStringThrough(relay, pooling, connectTimeout))
        : new MySqlProvider(ConnectionStringThrough(relay, pooling, connectTimeout));

    /// <summary>The connection string of <see cref="ProviderThrough"/>.</summary>
    protected string ConnectionStringThrough(TcpRelay relay, bool pooling = true, int? connectTimeout = null)
    {
        if (Engine == Engine.PostgreSql)
        {
            var npgsql = new NpgsqlConnectionStringBuilder(ConnectionString) { Host = "127.0.0.1", Port = relay.Port, SslMode = SslMode.Disable, Pooling = pooling };
            if (connectTimeout is { } seconds)
            {
                npgsql.Timeout = seconds;
            }

            return npgsql.ConnectionString;
        }

        var mySql = new MySqlConnectionStringBuilder(ConnectionString) { Server = "127.0.0.1", Port = (uint)relay.Port, SslMode = MySqlSslMode.None, Pooling = pooling };
        if (connectTimeout is { } timeout)
        {
            mySql.ConnectionTimeout = (uint)timeout;
        }

        return mySql.ConnectionString;
    }

    /// <summary>Counts the rows of a table through plain SQL.</summary>
    protected async Task<long> CountRowsAsync(string table)
    {
        await using var connection = await OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {Provider.Dialect.QuoteIdentifier(table)}");
    }

    /// <summary>Reads one value through plain SQL.</summary>
    protected async Task<T?> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var connection = await OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<T>(sql, args);
    }

    /// <summary>Quotes an identifier for the fixture's engine.</summary>
    /// <summary>Runs a statement on a connection of its own (arranging through plain SQL).</summary>
    protected async Task ExecuteAsync(string sql, object? args = null)
    {
        await using var connection = await OpenConnectionAsync();
        await connection.ExecuteAsync(sql, args);
    }

    protected string Q(string identifier) => Provider.Dialect.QuoteIdentifier(identifier);

    /// <summary>An identifier for a hole of <c>Raw($"...")</c>, quoted by the engine's rules when the query is built.</summary>
    protected static RawSqlIdentifier I(params string[] parts) => RawSql.Identifier(parts);
}
