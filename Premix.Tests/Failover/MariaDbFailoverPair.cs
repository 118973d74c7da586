using MySqlConnector;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Failover;

/// <summary>
/// The MariaDB primary and semi-synchronous replica <c>build/test-databases.sh start</c> runs for the moved-address failover
/// tests, apart from the shared servers: their connection strings (<c>PREMIX_TEST_FAILOVER_MYSQL</c>: the primary's and the
/// replica's, separated by <c>|</c>) and the script that resets, kills and promotes them
/// (<c>PREMIX_TEST_FAILOVER_MYSQL_CONTROL</c>).
/// </summary>
public sealed class MariaDbFailoverPair : IFailoverPair
{
    public const string Variable = "PREMIX_TEST_FAILOVER_MYSQL";
    public const string ControlVariable = "PREMIX_TEST_FAILOVER_MYSQL_CONTROL";

    // The database the tests write to, created on the primary after each reset (and replicated).
    private const string Database = "premix_failover";

    private readonly string[] _servers;
    private readonly string _control;

    private MariaDbFailoverPair(string[] servers, string control)
    {
        _servers = servers;
        _control = control;
    }

    /// <summary>The pair named by the environment; missing variables fail the test, never skip it.</summary>
    public static MariaDbFailoverPair FromEnvironment()
    {
        var servers = Environment.GetEnvironmentVariable(Variable)?.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var control = Environment.GetEnvironmentVariable(ControlVariable);
        if (servers is not { Length: 2 } || string.IsNullOrWhiteSpace(control))
        {
            Assert.Fail($"{Variable} (two connection strings separated by '|') and {ControlVariable} are not set, so the MariaDB failover tests have "
                + "no primary and replica to fail over. Run ./build.sh --target=Test, which starts a MariaDB primary with a semi-synchronous replica "
                + "when MariaDB is installed or installable (build/test-databases.sh start, engine failover-mariadb), or set both to a pair of your own, or see docs/testing.md.");
        }

        return new MariaDbFailoverPair(servers!, control!);
    }

    /// <summary>The connection string of server <paramref name="server"/> (1: the first primary, 2: the replica that is promoted), to <see cref="Database"/> unless told otherwise.</summary>
    public string Server(int server, bool database = true) =>
        new MySqlConnectionStringBuilder(_servers[server - 1]) { Database = database ? Database : "", Pooling = false }.ConnectionString;

    /// <inheritdoc />
    public Task<string> ControlAsync(string action) => ControlScript.RunAsync(_control, action);

    /// <inheritdoc />
    public (string Host, int Port) Address(int server)
    {
        var builder = new MySqlConnectionStringBuilder(_servers[server - 1]);
        return (builder.Server, (int)builder.Port);
    }

    /// <inheritdoc />
    public async Task CreateReferenceNotesAsync()
    {
        await ExecuteAsync($"CREATE DATABASE {Database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", database: false);
        await ExecuteAsync("CREATE TABLE notes (Id BIGINT AUTO_INCREMENT PRIMARY KEY, Reference VARCHAR(40) NOT NULL, KEY (Reference))");
    }

    /// <inheritdoc />
    public async Task<List<string>> ReferencesAsync(int server)
    {
        await using var connection = new MySqlConnection(Server(server));
        await connection.OpenAsync();
        await using var command = new MySqlCommand("SELECT Reference FROM notes", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var references = new List<string>();
        while (await reader.ReadAsync())
        {
            references.Add(reader.GetString(0));
        }

        return references;
    }

    // Runs sql on the primary through plain ADO.NET.
    private async Task ExecuteAsync(string sql, bool database = true)
    {
        await using var connection = new MySqlConnection(Server(1, database));
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
