using System.Diagnostics;
using MySqlConnector;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Galera;

/// <summary>
/// Where a unit of work's statements go on a Galera cluster, and what its reads see: writes pinned to one node or spread
/// over all of them (MySqlConnector's multi-host <c>LoadBalance</c>), and reads that see a commit made on another node
/// only when the unit of work asks for causal reads.
/// </summary>
[NonParallelizable]
public sealed class GaleraRoutingTests
{
    private GaleraCluster _cluster = null!;
    private readonly List<IPremix> _premixes = [];

    [SetUp]
    public async Task CreateTableAsync()
    {
        _cluster = await GaleraCluster.CreateAsync();
        await _cluster.ExecuteAsync(1, "CREATE TABLE counters (Id BIGINT AUTO_INCREMENT PRIMARY KEY, Name VARCHAR(50) NOT NULL, Value INT NOT NULL, Version INT NOT NULL)");
        await _cluster.ExecuteAsync(1, "INSERT INTO counters (Id, Name, Value, Version) VALUES (1, 'shared', 0, 1)");
    }

    [TearDown]
    public async Task DropAsync()
    {
        foreach (var premix in _premixes)
        {
            await premix.DisposeAsync();
        }

        _premixes.Clear();
        await _cluster.DropAsync();
    }

    [Test]
    public async Task Writes_pinned_with_FailOver_all_land_on_the_first_node_and_RoundRobin_spreads_sessions_over_every_node()
    {
        var pinned = Premix(_cluster.Nodes(MySqlLoadBalance.FailOver, 2, 1, 3));
        var spread = Premix(_cluster.Nodes(MySqlLoadBalance.RoundRobin, 1, 2, 3));

        // Six units of work at once each hold a connection, so each pool opens six sessions.
        Assert.That(await NodesOfConcurrentSessionsAsync(pinned), Is.EquivalentTo(new[] { "node2" }));
        Assert.That(await NodesOfConcurrentSessionsAsync(spread), Is.EquivalentTo(new[] { "node1", "node2", "node3" }));
    }

    [Test]
    public async Task A_read_on_a_lagging_node_sees_a_commit_made_on_another_node_only_with_causal_reads_which_wait_for_it()
    {
        var writer = Premix(_cluster.Node(1));
        // Without the reset MySqlConnector sends when it reuses a pooled session: on a session reset so, MariaDB 10.11 did
        // not make the read wait (docs/scale-out.md).
        var reader = Premix(_cluster.Node(2) + ";Connection Reset=false");

        // Node 2 stops applying what the cluster commits while this lock is held (Galera pauses its applier).
        await using var applierLock = new MySqlConnection(_cluster.Node(2, pooling: false));
        await applierLock.OpenAsync();
        await using (var lockTables = new MySqlCommand("FLUSH TABLES WITH READ LOCK", applierLock))
        {
            await lockTables.ExecuteNonQueryAsync();
        }

        await using (var uow = writer.BeginUnitOfWork())
        {
            (await uow.Repository<Counter>().GetAsync(1L)).Value = 42;
            await uow.CommitAsync();
        }

        await using (var plain = reader.BeginUnitOfWork())
        {
            Assert.That((await plain.Repository<Counter>().AsNoTracking().GetAsync(1L)).Value, Is.Zero, "without causal reads, node 2 answers with what it has applied: the old value");
        }

        await using var causal = reader.BeginUnitOfWork();
        causal.UseCausalReads();
        var clock = Stopwatch.StartNew();
        var read = causal.Repository<Counter>().GetAsync(1L);
        await Task.Delay(500);
        Assert.That(read.IsCompleted, Is.False, "the causal read waits for node 2 to apply the commit");
        await using (var unlock = new MySqlCommand("UNLOCK TABLES", applierLock))
        {
            await unlock.ExecuteNonQueryAsync();
        }

        Assert.That((await read).Value, Is.EqualTo(42), "with causal reads, the read sees the commit made on node 1");
        TestContext.Out.WriteLine($"the causal read waited {clock.Elapsed.TotalMilliseconds:0} ms, until node 2 had applied the commit");
    }

    [Test]
    public async Task Causal_reads_are_refused_at_the_call_with_a_message_saying_what_to_set_when_the_connection_string_leaves_the_session_reset_on()
    {
        var premix = Premix(_cluster.Node(2));
        await using var uow = premix.BeginUnitOfWork();

        // At the call, before any connection is opened: none is left open without having waited.
        var error = Assert.Throws<InvalidOperationException>(uow.UseCausalReads);

        Assert.That(error!.Message, Does.Contain("Connection Reset=false"));
    }

    [Test]
    public async Task Causal_reads_asked_for_while_a_connection_is_held_are_refused_since_its_reads_would_not_wait()
    {
        var premix = Premix(_cluster.Node(2) + ";Connection Reset=false");
        await using var uow = premix.BeginUnitOfWork();
        await using var hold = await uow.HoldConnectionAsync();

        Assert.That(() => uow.UseCausalReads(), Throws.InvalidOperationException.With.Message.Contains("Call it first"));
    }

    private static async Task<string?[]> NodesOfConcurrentSessionsAsync(IPremix premix)
    {
        using var start = new Barrier(6);
        var nodes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            await using var uow = premix.BeginUnitOfWork();
            await using var hold = await uow.HoldConnectionAsync();
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            return await uow.Raw("SELECT @@wsrep_node_name").ReadOnly().ScalarAs<string>();
        })));
        return nodes.Distinct().ToArray();
    }

    private IPremix Premix(string connectionString)
    {
        var premix = PremixFactory.Create(p => p.UseMySql(connectionString).AddModelConfiguration(new CounterMap()));
        _premixes.Add(premix);
        return premix;
    }
}
