using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Sakila;

/// <summary>
/// Loads the Sakila sample database (datasets/sakila: the jOOQ/sakila ports, BSD licence) into a fixture's own database:
/// the engine's schema file as it is published, less what would leave the fixture's database or needs a role it may
/// not have, then the rows (README.md beside the files says how each engine gets them).
/// </summary>
internal static partial class SakilaDatabase
{
    /// <summary>Creates and fills the Sakila tables, views, triggers and routines in the database of <paramref name="connectionString"/>.</summary>
    public static async Task LoadAsync(Engine engine, string connectionString)
    {
        var folder = Datasets.Folder("sakila");
        switch (engine)
        {
            case Engine.Sqlite:
                await LoadSqliteAsync(connectionString, folder);
                break;
            case Engine.PostgreSql:
                await LoadPostgreSqlAsync(connectionString, folder);
                break;
            case Engine.MySql:
                await LoadMySqlAsync(connectionString, folder);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(engine), engine, "Unknown engine.");
        }
    }

    // The schema as one script; the rows in one transaction whose foreign keys are checked at commit (staff and store
    // refer to each other). SQLite's port has no trigger filling film_text, which MySQL's has: the load does it.
    private static async Task LoadSqliteAsync(string connectionString, string folder)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, null, await File.ReadAllTextAsync(Path.Combine(folder, "sqlite-sakila-schema.sql")));
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, transaction, "PRAGMA defer_foreign_keys = ON");
        await ExecuteAsync(connection, transaction, await File.ReadAllTextAsync(Path.Combine(folder, "sakila-insert-data.sql")));
        await ExecuteAsync(connection, transaction, "INSERT INTO film_text (film_id, title, description) SELECT film_id, title, description FROM film");
        await transaction.CommitAsync();
    }

    // The dump as one script without its ownership and privilege statements (they name the role postgres); its foreign
    // keys after the rows, which the data file would otherwise load with every trigger disabled (superusers only).
    private static async Task LoadPostgreSqlAsync(string connectionString, string folder)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var schema = PostgreSqlRoleStatements().Replace(await File.ReadAllTextAsync(Path.Combine(folder, "postgres-sakila-schema.sql")), string.Empty);
        var foreignKeys = PostgreSqlForeignKeys().Matches(schema).Select(m => m.Value).ToList();
        await ExecuteAsync(connection, null, PostgreSqlForeignKeys().Replace(schema, string.Empty));

        var data = (await File.ReadAllTextAsync(Path.Combine(folder, "postgres-sakila-insert-data-using-copy.sql"))).Split('\n');
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i].StartsWith("COPY ", StringComparison.Ordinal))
            {
                await using var writer = await connection.BeginTextImportAsync(data[i]);
                for (i++; data[i] != "\\."; i++)
                {
                    await writer.WriteAsync(data[i] + "\n");
                }
            }
            else if (data[i].StartsWith("SELECT pg_catalog.setval(", StringComparison.Ordinal))
            {
                await ExecuteAsync(connection, null, data[i]);
            }
        }

        await ExecuteAsync(connection, null, string.Join("\n", foreignKeys));
    }

    // MySQL's script is written for the mysql client: DELIMITER lines, a database of its own (sakila) that it creates,
    // uses and names in one view. Each statement runs on its own in the fixture's database; the rows in one transaction
    // with foreign key checks off, as MySQL's own sakila-data.sql loads them.
    private static async Task LoadMySqlAsync(string connectionString, string folder)
    {
        await using var connection = new MySqlConnection(new MySqlConnectionStringBuilder(connectionString) { AllowUserVariables = true }.ConnectionString);
        await connection.OpenAsync();
        var schema = MySqlOwnDatabase().Replace(await File.ReadAllTextAsync(Path.Combine(folder, "mysql-sakila-schema.sql")), string.Empty);
        foreach (var statement in MySqlScript.Statements(MySqlDatabaseName().Replace(schema, string.Empty)))
        {
            await ExecuteAsync(connection, null, statement);
        }

        await ExecuteAsync(connection, null, "SET FOREIGN_KEY_CHECKS = 0");
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            foreach (var statement in MySqlScript.Statements(await File.ReadAllTextAsync(Path.Combine(folder, "sakila-insert-data.sql"))))
            {
                await ExecuteAsync(connection, transaction, statement);
            }

            await transaction.CommitAsync();
        }

        await ExecuteAsync(connection, null, "SET FOREIGN_KEY_CHECKS = 1");
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 120;
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync();
    }

    [GeneratedRegex(@"^(?:ALTER [A-Z ]+ public\.\S+ OWNER TO postgres|ALTER PROCEDURAL LANGUAGE plpgsql OWNER TO postgres|CREATE OR REPLACE PROCEDURAL LANGUAGE plpgsql|COMMENT ON SCHEMA public IS .*|REVOKE ALL ON SCHEMA public FROM PUBLIC|GRANT ALL ON SCHEMA public TO \w+);$", RegexOptions.Multiline)]
    private static partial Regex PostgreSqlRoleStatements();

    [GeneratedRegex(@"^ALTER TABLE ONLY \w+\s+ADD CONSTRAINT \w+ FOREIGN KEY [^;]*;", RegexOptions.Multiline)]
    private static partial Regex PostgreSqlForeignKeys();

    [GeneratedRegex(@"^(?:DROP SCHEMA IF EXISTS sakila|CREATE SCHEMA sakila|USE sakila);$", RegexOptions.Multiline)]
    private static partial Regex MySqlOwnDatabase();

    [GeneratedRegex(@"\bsakila\.")]
    private static partial Regex MySqlDatabaseName();
}
