using System.Data.Common;
using System.Text.RegularExpressions;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Chinook;

/// <summary>
/// Loads the Chinook sample database (datasets/chinook in the repository, a copy of the MIT-licensed dataset) into a fixture's own database:
/// the engine's script, less its DROP/CREATE DATABASE, USE and \c lines, run as one command.
/// </summary>
internal static partial class ChinookDatabase
{
    /// <summary>The script of the engine, stripped of the lines that would leave the fixture's database.</summary>
    public static async Task<string> ReadScriptAsync(Engine engine)
    {
        var file = engine switch
        {
            Engine.Sqlite => "chinook_sqlite.sql",
            Engine.PostgreSql => "chinook_postgres.sql",
            Engine.MySql => "chinook_mysql.sql",
            _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "Unknown engine."),
        };
        var script = await File.ReadAllTextAsync(Path.Combine(Datasets.Folder("chinook"), file));
        return DatabaseLines().Replace(script, string.Empty);
    }

    /// <summary>Creates and fills the Chinook tables in the database <paramref name="connection"/> is open on.</summary>
    public static async Task LoadAsync(Engine engine, DbConnection connection)
    {
        var script = await ReadScriptAsync(engine);

        // One transaction on SQLite, or every INSERT ... VALUES commits (and syncs) on its own. PostgreSQL and
        // MariaDB run the multi-statement text as it is (MySqlConnector allows multiple statements by default).
        await using var transaction = engine == Engine.Sqlite ? await connection.BeginTransactionAsync() : null;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = script;
            command.CommandTimeout = 120;
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync();
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync();
        }
    }

    [GeneratedRegex(@"^(?:DROP DATABASE|CREATE DATABASE|USE |\\c ).*$", RegexOptions.Multiline)]
    private static partial Regex DatabaseLines();
}
