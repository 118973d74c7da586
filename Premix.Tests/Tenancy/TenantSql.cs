using System.Data.Common;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tenancy;

/// <summary>Plain SQL on a connection of its own (no Premix, no shared pool), to arrange and assert the tenancy tests.</summary>
internal static class TenantSql
{
    public static DbConnection Connection(Engine engine, string connectionString) => engine switch
    {
        Engine.Sqlite => new SqliteConnection(connectionString),
        Engine.PostgreSql => new NpgsqlConnection(connectionString),
        _ => new MySqlConnection(connectionString),
    };

    public static async Task ExecuteAsync(Engine engine, string connectionString, string sql)
    {
        await using var connection = Connection(engine, connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<List<string>> ColumnAsync(Engine engine, string connectionString, string sql)
    {
        await using var connection = Connection(engine, connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return values;
    }

    /// <summary>Puts the identity of a table whose rows were inserted with explicit keys past them (PostgreSQL does not move it itself).</summary>
    public static string RestartIdentities(Engine engine, string? schema = null)
    {
        var prefix = schema is null ? "" : schema + ".";
        return engine == Engine.PostgreSql ? $"ALTER TABLE {prefix}accounts ALTER COLUMN id RESTART WITH 100; ALTER TABLE {prefix}invoices ALTER COLUMN id RESTART WITH 100;" : "";
    }

    public static PremixOptionsBuilder Use(this PremixOptionsBuilder p, Engine engine, string connectionString) => engine switch
    {
        Engine.Sqlite => p.UseSqlite(connectionString),
        Engine.PostgreSql => p.UsePostgreSql(connectionString),
        _ => p.UseMySql(connectionString),
    };
}
