using MySqlConnector;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Failover;

/// <summary>
/// The MariaDB server of its own that <c>build/test-databases.sh start</c> runs for the restart tests
/// (<c>PREMIX_TEST_MYSQL_RESTART</c>), a database of the fixture's on it, and its control script
/// (<c>PREMIX_TEST_MYSQL_RESTART_CONTROL</c>: <c>kill</c> with SIGKILL, <c>start</c> again on the same port and data).
/// </summary>
internal sealed class RestartableMariaDb
{
    public const string Variable = "PREMIX_TEST_MYSQL_RESTART";
    public const string ControlVariable = "PREMIX_TEST_MYSQL_RESTART_CONTROL";

    private readonly string _server;
    private readonly string _control;

    private RestartableMariaDb(string server, string control, string database)
    {
        _server = server;
        _control = control;
        Database = database;
    }

    /// <summary>The fixture's database.</summary>
    public string Database { get; }

    /// <summary>The connection string to the fixture's database.</summary>
    public string ConnectionString => new MySqlConnectionStringBuilder(_server) { Database = Database }.ConnectionString;

    /// <summary>
    /// Creates a database of its own on the server, starting the server first if a test before left it killed. Missing
    /// variables fail the test, never skip it.
    /// </summary>
    public static async Task<RestartableMariaDb> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        var control = Environment.GetEnvironmentVariable(ControlVariable);
        if (string.IsNullOrWhiteSpace(server) || string.IsNullOrWhiteSpace(control))
        {
            Assert.Fail($"{Variable} and {ControlVariable} are not both set, so the restart tests have no server to kill. Run "
                + "./build.sh --target=Test, which starts a MariaDB server of their own (build/test-databases.sh start); a server of "
                + "your own cannot run them, since they kill it (see docs/testing.md).");
        }

        var mariaDb = new RestartableMariaDb(server!, control!, "premix_" + Guid.NewGuid().ToString("N")[..12]);
        if ((await ControlScript.RunAsync(control!, "status")).StartsWith("stopped", StringComparison.Ordinal))
        {
            await mariaDb.StartAsync();
        }

        await mariaDb.ExecuteAsync($"CREATE DATABASE {mariaDb.Database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", database: false);
        return mariaDb;
    }

    /// <summary>Kills the server (SIGKILL, as a crash) and returns once it is gone.</summary>
    public Task KillAsync() => ControlScript.RunAsync(_control, "kill");

    /// <summary>Starts the server again and returns once it accepts connections.</summary>
    public Task StartAsync() => ControlScript.RunAsync(_control, "start");

    /// <summary>Runs <paramref name="sql"/> through plain ADO.NET, on a connection of its own.</summary>
    public async Task ExecuteAsync(string sql, bool database = true)
    {
        await using var connection = await OpenAsync(database);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of every row <paramref name="sql"/> returns, as strings, through plain ADO.NET.</summary>
    public async Task<List<string>> ColumnAsync(string sql)
    {
        await using var connection = await OpenAsync(database: true);
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>Drops the fixture's database.</summary>
    public Task DropAsync() => ExecuteAsync($"DROP DATABASE IF EXISTS {Database}", database: false);

    private async Task<MySqlConnection> OpenAsync(bool database)
    {
        var connection = new MySqlConnection(new MySqlConnectionStringBuilder(_server) { Database = database ? Database : "", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
