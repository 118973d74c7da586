using MySqlConnector;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Galera;

/// <summary>
/// The three-node MariaDB Galera cluster <c>build/test-databases.sh start</c> runs on loopback: its nodes' connection
/// strings (<c>PREMIX_TEST_GALERA</c>, three MySqlConnector connection strings separated by <c>|</c>), a database of the
/// fixture's own on it, and the script that stops, kills and restarts a node (<c>PREMIX_TEST_GALERA_CONTROL</c>).
/// </summary>
internal sealed class GaleraCluster
{
    public const string Variable = "PREMIX_TEST_GALERA";
    public const string ControlVariable = "PREMIX_TEST_GALERA_CONTROL";

    private readonly string[] _nodes;
    private readonly string? _control;

    private GaleraCluster(string[] nodes, string? control, string database)
    {
        _nodes = nodes;
        _control = control;
        Database = database;
    }

    /// <summary>The fixture's database, created on the cluster (and so on every node).</summary>
    public string Database { get; }

    /// <summary>How many nodes the cluster has.</summary>
    public int Size => _nodes.Length;

    /// <summary>Creates a database of its own on the cluster; a missing variable fails the test, never skips it.</summary>
    public static async Task<GaleraCluster> CreateAsync()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            Assert.Fail($"{Variable} is not set, so the Galera tests have no cluster. Run ./build.sh --target=Test, which starts a "
                + "three-node cluster on loopback, or set it to three connection strings of your own cluster's nodes separated by '|' "
                + "(see docs/testing.md).");
        }

        var nodes = value!.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.That(nodes, Has.Length.EqualTo(3), $"{Variable} names three nodes, separated by '|'");
        var name = "premix_" + Guid.NewGuid().ToString("N")[..12];
        var cluster = new GaleraCluster(nodes, Environment.GetEnvironmentVariable(ControlVariable), name);
        await cluster.ExecuteAsync(1, $"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", database: false);
        for (var node = 2; node <= nodes.Length; node++)
        {
            // The other nodes apply it a moment later (a node just restarted, later still): a test connecting to one
            // of them at once would find no such database.
            await cluster.ExecuteAsync(node, "SET STATEMENT wsrep_sync_wait = 1 FOR SELECT 1", database: false);
        }

        return cluster;
    }

    /// <summary>The connection string of node <paramref name="node"/> (1-based), to the fixture's database.</summary>
    public string Node(int node, bool pooling = true) =>
        new MySqlConnectionStringBuilder(_nodes[node - 1]) { Database = Database, Pooling = pooling }.ConnectionString;

    /// <summary>
    /// One connection string naming the nodes in the order given, MySqlConnector's multi-host form
    /// (<c>Server=a,b,c</c>), with <paramref name="loadBalance"/>: the nodes must share a port, as the script's do.
    /// </summary>
    public string Nodes(MySqlLoadBalance loadBalance, params int[] order)
    {
        var builders = order.Select(n => new MySqlConnectionStringBuilder(_nodes[n - 1])).ToArray();
        Assert.That(builders.Select(b => b.Port).Distinct().Count(), Is.EqualTo(1), $"a multi-host connection string needs the nodes of {Variable} on one port");
        return new MySqlConnectionStringBuilder(_nodes[order[0] - 1])
        {
            Server = string.Join(',', builders.Select(b => b.Server)),
            Database = Database,
            LoadBalance = loadBalance,
        }.ConnectionString;
    }

    /// <summary>Runs <paramref name="sql"/> on node <paramref name="node"/> through plain ADO.NET, on a connection of its own.</summary>
    public async Task ExecuteAsync(int node, string sql, bool database = true)
    {
        await using var connection = new MySqlConnection(database ? Node(node, pooling: false) : new MySqlConnectionStringBuilder(_nodes[node - 1]) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Reads one value on node <paramref name="node"/>, seeing every commit the cluster made before it (<c>wsrep_sync_wait</c>).</summary>
    public async Task<T> ScalarAsync<T>(int node, string sql)
    {
        await using var connection = new MySqlConnection(Node(node, pooling: false));
        await connection.OpenAsync();
        await using (var wait = new MySqlCommand("SET SESSION wsrep_sync_wait = 1", connection))
        {
            await wait.ExecuteNonQueryAsync();
        }

        await using var command = new MySqlCommand(sql, connection);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A global status value of node <paramref name="node"/> (<c>wsrep_cluster_size</c>, <c>wsrep_local_cert_failures</c> …).</summary>
    public async Task<string> StatusAsync(int node, string variable)
    {
        await using var connection = new MySqlConnection(Node(node, pooling: false));
        await connection.OpenAsync();
        await using var command = new MySqlCommand($"SHOW GLOBAL STATUS LIKE '{variable}'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync(), Is.True, $"node {node} reports {variable}");
        return reader.GetString(1);
    }

    /// <summary>Stops (<c>stop</c>, a clean leave), kills (<c>kill</c>, SIGKILL) or starts (<c>start</c>: waits until Synced) a node.</summary>
    public async Task ControlAsync(string action, int node)
    {
        if (string.IsNullOrWhiteSpace(_control))
        {
            Assert.Fail($"{ControlVariable} is not set, so this test cannot stop or start a node of the cluster. It is set by "
                + "build/test-databases.sh start, which starts the cluster; a cluster of your own cannot run the node-failure tests.");
        }

        await ControlScript.RunAsync(_control!, action, node.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Drops the fixture's database (on every node: DDL is replicated).</summary>
    public Task DropAsync() => ExecuteAsync(1, $"DROP DATABASE IF EXISTS {Database}", database: false);
}
