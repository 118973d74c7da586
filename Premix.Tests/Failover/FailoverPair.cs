using Npgsql;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Failover;

/// <summary>
/// The PostgreSQL primary and synchronous standby <c>build/test-databases.sh start</c> runs for the failover tests, apart
/// from the shared servers: their multi-host connection string (<c>PREMIX_TEST_FAILOVER</c>: <c>Host=a:p1,b:p2</c> with
/// <c>Target Session Attributes=primary</c>) and the script that resets, kills and promotes them
/// (<c>PREMIX_TEST_FAILOVER_CONTROL</c>).
/// </summary>
public sealed class FailoverPair : IFailoverPair
{
    public const string Variable = "PREMIX_TEST_FAILOVER";
    public const string ControlVariable = "PREMIX_TEST_FAILOVER_CONTROL";

    private readonly string _control;

    private FailoverPair(string connectionString, string control)
    {
        ConnectionString = connectionString;
        _control = control;
    }

    /// <summary>The multi-host connection string an application would use: the primary first, the standby second.</summary>
    public string ConnectionString { get; }

    /// <summary>The pair named by the environment; a missing variable fails the test, never skips it.</summary>
    public static FailoverPair FromEnvironment()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        var control = Environment.GetEnvironmentVariable(ControlVariable);
        if (string.IsNullOrWhiteSpace(connectionString) || string.IsNullOrWhiteSpace(control))
        {
            Assert.Fail($"{Variable} and {ControlVariable} are not set, so the failover tests have no primary and standby to fail over. "
                + "Run ./build.sh --target=Test, which starts a PostgreSQL primary with a synchronous standby on loopback "
                + "(build/test-databases.sh start), or see docs/testing.md.");
        }

        return new FailoverPair(connectionString!, control!);
    }

    /// <summary>The connection string of server <paramref name="server"/> alone (1: the first primary, 2: the standby that is promoted), unpooled unless asked.</summary>
    public string Server(int server, bool pooling = false)
    {
        var (host, port) = Address(server);
        return new NpgsqlConnectionStringBuilder(ConnectionString)
        {
            Host = host,
            Port = port,
            TargetSessionAttributes = null,
            Pooling = pooling,
        }.ConnectionString;
    }

    /// <inheritdoc />
    public (string Host, int Port) Address(int server)
    {
        var host = HostOf(server);
        var colon = host.LastIndexOf(':');
        return (host[..colon], int.Parse(host[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Server <paramref name="server"/> (1 or 2) as the multi-host connection string names it, <c>host:port</c>.</summary>
    public string HostOf(int server) => new NpgsqlConnectionStringBuilder(ConnectionString).Host!.Split(',')[server - 1].Trim();

    /// <summary>How many sessions server <paramref name="server"/> has started since it did (<c>pg_stat_database.sessions</c>, reported by backends within a second).</summary>
    public async Task<long> SessionsAsync(int server)
    {
        await using var connection = new NpgsqlConnection(Server(server));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT coalesce(sum(sessions), 0)::bigint FROM pg_stat_database", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs <paramref name="action"/> (<c>reset</c>, <c>kill-primary</c>, <c>promote</c>, <c>status</c>, <c>repoint-pooler</c>) and returns what it printed.</summary>
    /// <remarks><c>reset</c> also starts the pair's PgBouncer again, pointed at the new primary.</remarks>
    public Task<string> ControlAsync(string action) => ControlScript.RunAsync(_control, action);

    /// <summary>Runs <paramref name="sql"/> on server <paramref name="server"/> through plain Npgsql.</summary>
    public async Task ExecuteAsync(int server, string sql)
    {
        await using var connection = new NpgsqlConnection(Server(server));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>How many rows of <paramref name="table"/> server <paramref name="server"/> holds per reference, through plain Npgsql.</summary>
    public async Task<Dictionary<string, int>> ReferenceCountsAsync(int server, string table)
    {
        await using var connection = new NpgsqlConnection(Server(server));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT reference, count(*)::int FROM {table} GROUP BY reference", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        return counts;
    }

    /// <inheritdoc />
    public Task CreateReferenceNotesAsync() => ExecuteAsync(1, """
        CREATE TABLE notes ("Id" bigserial PRIMARY KEY, "Reference" varchar(40) NOT NULL);
        CREATE INDEX ON notes ("Reference");
        """);

    /// <inheritdoc />
    public async Task<List<string>> ReferencesAsync(int server)
    {
        await using var connection = new NpgsqlConnection(Server(server));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "Reference" FROM notes""", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var references = new List<string>();
        while (await reader.ReadAsync())
        {
            references.Add(reader.GetString(0));
        }

        return references;
    }

    /// <summary>
    /// The connection string of the pair's own PgBouncer (<c>PREMIX_TEST_FAILOVER_POOLED</c>, transaction pooling, in front of
    /// the primary until <c>repoint-pooler</c>); a missing variable fails the test.
    /// </summary>
    public static string Pooled()
    {
        var pooled = Environment.GetEnvironmentVariable(PooledVariable);
        if (string.IsNullOrWhiteSpace(pooled))
        {
            Assert.Fail($"{PooledVariable} is not set, so the PgBouncer failover tests have no pooler of the failover pair's. Run ./build.sh --target=Test, "
                + "which starts one with the pair when PgBouncer is installed or installable (build/test-databases.sh start), or set it next to PREMIX_TEST_FAILOVER "
                + "to a PgBouncer (transaction pooling) of your own in front of that pair's primary, or see docs/testing.md.");
        }

        return pooled!;
    }

    public const string PooledVariable = "PREMIX_TEST_FAILOVER_POOLED";
}
