using System.Data.Common;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// A database that belongs to one fixture instance: a temporary file on SQLite, a fresh
/// <c>premix_&lt;unique&gt;</c> database on PostgreSQL and MariaDB. Dropping it leaves the server as it was.
/// </summary>
internal sealed class IsolatedDatabase
{
    private IsolatedDatabase(Engine engine, string name, string connectionString, string? adminConnectionString)
    {
        Engine = engine;
        Name = name;
        ConnectionString = connectionString;
        AdminConnectionString = adminConnectionString;
    }

    /// <summary>The engine the database lives on.</summary>
    public Engine Engine { get; }

    /// <summary>The database name on a server, or the file path on SQLite.</summary>
    public string Name { get; }

    /// <summary>A connection string that opens this database and no other (in the pooled leg, through PgBouncer).</summary>
    public string ConnectionString { get; }

    /// <summary>A connection string straight to the server, for administration and for looking at the server's own views.</summary>
    public string? AdminConnectionString { get; }

    /// <summary>Creates an empty database for <paramref name="engine"/>.</summary>
    public static async Task<IsolatedDatabase> CreateAsync(Engine engine)
    {
        // 12 hex digits: unique enough for parallel fixtures and runs, short enough for any identifier limit.
        var name = "premix_" + Guid.NewGuid().ToString("N")[..12];
        switch (engine)
        {
            case Engine.Sqlite:
                var path = Path.Combine(Path.GetTempPath(), name + ".db");
                return new IsolatedDatabase(engine, path, new SqliteConnectionStringBuilder { DataSource = path }.ToString(), null);

            case Engine.PostgreSql:
                var postgresAdmin = TestEnvironment.RequireAdminConnectionString(engine);
                await ExecuteAsync(new NpgsqlConnection(postgresAdmin), $"CREATE DATABASE {name}");
                // The pooled leg reaches the database through PgBouncer; creating and dropping it stays direct. No Reset On
                // Close, as recommended behind a pooler (docs/configuration.md): Npgsql's DISCARD ALL would otherwise run on
                // whichever server connection PgBouncer picks and could wipe what another client left there unseen.
                var postgres = TestEnvironment.PooledLeg
                    ? new NpgsqlConnectionStringBuilder(TestEnvironment.RequirePooledPostgreSqlConnectionString()) { Database = name, NoResetOnClose = true }
                    : new NpgsqlConnectionStringBuilder(postgresAdmin) { Database = name };
                return new IsolatedDatabase(engine, name, postgres.ConnectionString, postgresAdmin);

            case Engine.MySql:
                var mySqlAdmin = TestEnvironment.RequireAdminConnectionString(engine);
                // Explicit character set: a developer's own server may default to latin1.
                await ExecuteAsync(new MySqlConnection(mySqlAdmin), $"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
                var mySql = new MySqlConnectionStringBuilder(mySqlAdmin) { Database = name };
                return new IsolatedDatabase(engine, name, mySql.ConnectionString, mySqlAdmin);

            default:
                throw new ArgumentOutOfRangeException(nameof(engine), engine, "Unknown engine.");
        }
    }

    /// <summary>Drops the database; <paramref name="connectionOfItsPool"/> names the connection pool to empty first.</summary>
    public async Task DropAsync(DbConnection connectionOfItsPool)
    {
        switch (Engine)
        {
            case Engine.Sqlite:
                // A pooled connection keeps the file open; empty both the provider's pool and ours.
                SqliteConnection.ClearPool((SqliteConnection)connectionOfItsPool);
                await using (var own = new SqliteConnection(ConnectionString))
                {
                    SqliteConnection.ClearPool(own);
                }

                foreach (var suffix in new[] { string.Empty, "-wal", "-shm", "-journal" })
                {
                    File.Delete(Name + suffix);
                }

                break;

            case Engine.PostgreSql:
                NpgsqlConnection.ClearPool((NpgsqlConnection)connectionOfItsPool);
                // FORCE ends the sessions a data source may still hold open in its pool.
                await ExecuteAsync(new NpgsqlConnection(AdminConnectionString), $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
                break;

            case Engine.MySql:
                MySqlConnection.ClearPool((MySqlConnection)connectionOfItsPool);
                await ExecuteAsync(new MySqlConnection(AdminConnectionString), $"DROP DATABASE IF EXISTS {Name}");
                break;

            default:
                throw new InvalidOperationException($"Unknown engine {Engine}.");
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using (connection)
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }
}
